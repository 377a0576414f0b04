package dev.backoff4j.mock.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.Scenario;
import dev.backoff4j.mock.simulation.Simulation;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.gate.GateState;
import dev.backoff4j.openai.gate.GateStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The default client riding out an outage of the real mock over HTTP on 127.0.0.1: the outage gate
 * holds requests back while the endpoint is down and lets them through once it answers. The mock's
 * outage window and the client run on one virtual clock ({@link Simulation}), so the outage meets
 * the same calls however loaded the machine is.
 */
class OutageGateAgainstMockTest {

  private static final ChatRequest REQUEST = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Still there?"))
      .maxCompletionTokens(5);

  @Test
  void anOutageShorterThanTheDeadlineFailsNoCallAndBarelyAddsLoad() {
    int calls = 400;
    // 400 calls over one second, one every 2.5 ms; the endpoint is down from 300 to 700 ms.
    Scenario outage = Scenario.builder().outage(Duration.ofMillis(300), Duration.ofMillis(400)).build();
    try (Simulation run = new Simulation(outage)) {
      OpenAiClient client = run.client(OpenAiRetryPolicy.builder(run.time).maxElapsed(Duration.ofSeconds(10))).build();
      List<CompletableFuture<ChatCompletion>> sent = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        sent.add(run.at(Duration.ofNanos(i * 2_500_000L), () -> client.chat().createAsync(REQUEST)));
      }
      run.runUntilDone(sent);

      long failed = sent.stream().filter(CompletableFuture::isCompletedExceptionally).count();
      long attempts = run.server.stats().totalRequests();
      GateStats gate = client.pipeline().outageGate().orElseThrow().stats();
      System.out.printf("outage of 400 ms: %d calls, %d failed, %d attempts (%.3f x), %d x 503, done at %s, gate %s%n",
          calls, failed, attempts, attempts / (double) calls, run.server.stats().count(503), run.time.elapsed(), gate);
      assertThat(failed).isZero();
      assertThat(gate.closings()).as("the gate closed during the outage").isEqualTo(1);
      assertThat(gate.failedProbes()).as("and probed it while it lasted").isPositive();
      assertThat(attempts).as("attempts per call").isLessThanOrEqualTo((long) (calls * 1.1));
      assertThat(gate.state()).isEqualTo(GateState.OPEN);
      assertThat(run.time.elapsed()).as("recovered within a second of the outage's end")
          .isLessThan(Duration.ofMillis(1_700));
    }
  }
}
