package dev.backoff4j.mock.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.gate.GateState;
import dev.backoff4j.openai.gate.GateStats;
import dev.backoff4j.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The default client riding out an outage of the real mock, on real time and real threads: the
 * outage gate holds requests back while the endpoint is down and lets them through once it answers.
 * Bounded: 400 calls over one second, a 400 ms outage, 127.0.0.1 only.
 */
class OutageGateAgainstMockTest {

  private static final ChatRequest REQUEST = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Still there?"))
      .maxCompletionTokens(5);

  @Test
  void anOutageShorterThanTheDeadlineFailsNoCallAndBarelyAddsLoad() throws Exception {
    int calls = 400;
    try (MockServer server = MockServer.start(Scenario.builder().build())) {
      OpenAiClient client = OpenAiClient.builder().environment(name -> null).baseUrl(server.baseUrl())
          .apiKey("sk-outage").retryPolicy(OpenAiRetryPolicy.builder(TimeSource.system())
              .maxElapsed(Duration.ofSeconds(20)).retryLogLevel(Level.OFF).build())
          .build();
      for (int i = 0; i < 20; i++) {
        client.chat().createAsync(REQUEST).get(10, TimeUnit.SECONDS); // warm: the outage must meet a running client
      }
      // Installing a scenario starts its outage clock (and the stats) afresh.
      server.scenario(Scenario.builder().outage(Duration.ofMillis(300), Duration.ofMillis(2000)).build());
      server.reset();
      List<CompletableFuture<ChatCompletion>> sent = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        LockSupport.parkNanos(start + i * 2_500_000L - System.nanoTime());
        sent.add(client.chat().createAsync(REQUEST));
      }
      CompletableFuture.allOf(sent.stream().map(call -> call.handle((reply, failure) -> null))
          .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      List<dev.backoff4j.mock.RequestRecord> log = server.stats().requests();
      System.out.println("DEBUG log " + log.size() + " first " + log.get(0).sinceStartNanos() / 1e6 + " last "
          + log.get(log.size() - 1).sinceStartNanos() / 1e6 + " launch took " + (System.nanoTime() - start) / 1e6);
      log.stream().filter(r -> r.status() != 200).limit(0).forEach(r -> System.out.println("DEBUG " + r.sinceStartNanos() / 1e6 + " " + r.status()));
      long failed = sent.stream().filter(CompletableFuture::isCompletedExceptionally).count();
      long attempts = server.stats().totalRequests();
      GateStats gate = client.pipeline().outageGate().orElseThrow().stats();
      System.out.printf("outage of 400 ms: %d calls, %d failed, %d attempts (%.3f x), %d x 503, gate %s%n", calls,
          failed, attempts, attempts / (double) calls, server.stats().count(503), gate);
      sent.stream().filter(CompletableFuture::isCompletedExceptionally).limit(3).forEach(call -> {
        Throwable e = call.handle((r, f) -> f).join();
        System.out.println("DEBUG " + e + " " + dev.backoff4j.retry.RetryHistory.of(e).map(h -> h.attempts().toString()).orElse("-"));
      });
      assertThat(failed).isZero();
      assertThat(server.stats().count(503)).as("the outage was met").isPositive();
      assertThat(gate.closings()).as("the gate closed during the outage").isPositive();
      assertThat(attempts).as("attempts per call").isLessThanOrEqualTo((long) (calls * 1.1));
      assertThat(gate.state()).isEqualTo(GateState.OPEN);
    }
  }
}
