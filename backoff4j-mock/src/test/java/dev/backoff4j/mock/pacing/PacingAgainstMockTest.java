package dev.backoff4j.mock.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.mock.simulation.Simulation;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerStats;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The paced client and the retry budget against the mock's emulated limits and outages, over real
 * HTTP on 127.0.0.1. The pacing runs drive the mock and the clients from one virtual clock
 * ({@link Simulation}), so what they count follows from the limits, not from the machine's speed. The
 * scenario benchmarks measure the same at scale; these check the behaviour.
 */
class PacingAgainstMockTest {

  private static final ChatRequest REQUEST = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Say hello to the pacer"))
      .maxCompletionTokens(20);

  private static List<CompletableFuture<ChatCompletion>> sendAtOnce(OpenAiClient client, int count) {
    List<CompletableFuture<ChatCompletion>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(client.chat().createAsync(REQUEST));
    }
    return calls;
  }

  @Test
  void aPacedClientLearnsTheRequestLimitFromHeadersAndStaysUnderIt() {
    // 100 requests per second; 300 requests at once: ideal (N - burst) / limit = 2 s.
    try (Simulation run = new Simulation(Scenario.builder().rateLimit(100, 10_000_000).window("1s").build())) {
      Pacer pacer = Pacer.builder().timeSource(run.time).build();
      OpenAiClient client = run.client(OpenAiRetryPolicy.builder(run.time)).pacer(pacer).build();
      List<CompletableFuture<ChatCompletion>> calls = sendAtOnce(client, 300);
      run.runUntilDone(calls);

      System.out.printf("paced, request-limited: 300 requests in %s (virtual), %d x 429, stats %s%n",
          run.time.elapsed(), run.server.stats().count(429), pacer.stats());
      assertThat(calls).allSatisfy(call -> assertThat(call).isCompleted().isNotCompletedExceptionally());
      assertThat(run.server.stats().count(429)).isZero();
      assertThat(run.server.stats().count(200)).isEqualTo(300);
      PacerStats.Limit requests = pacer.stats().scopes().get(0).requests();
      assertThat(requests.capacity()).isEqualTo(100);
      assertThat(requests.perMinute()).isBetween(5_400.0, 6_600.0);
      assertThat(run.time.elapsed()).isBetween(Duration.ofMillis(1_900), Duration.ofMillis(2_500));
    }
  }

  @Test
  void aPacedClientStaysUnderATokenLimit() {
    // Each request: ~6 prompt tokens by the mock's count + 20 completion = ~26; 1,300 tokens a second ≈ 50 requests/s.
    try (Simulation run = new Simulation(Scenario.builder().rateLimit(1_000_000, 1_300).window("1s").build())) {
      Pacer pacer = Pacer.builder().timeSource(run.time).build();
      OpenAiClient client = run.client(OpenAiRetryPolicy.builder(run.time)).pacer(pacer).build();
      List<CompletableFuture<ChatCompletion>> calls = sendAtOnce(client, 150);
      run.runUntilDone(calls);

      System.out.printf("paced, token-limited: 150 requests in %s (virtual), %d x 429, stats %s%n",
          run.time.elapsed(), run.server.stats().count(429), pacer.stats());
      assertThat(calls).allSatisfy(call -> assertThat(call).isCompleted().isNotCompletedExceptionally());
      assertThat(run.server.stats().count(429)).isZero();
      assertThat(pacer.stats().paced()).as("the pacer held requests back; no 429 was not luck").isPositive();
      assertThat(run.time.elapsed()).as("about (150 x 26 - 1,300) / 1,300 per second")
          .isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(4));
    }
  }

  @Test
  void withoutAPacerTheSameLoadProvokesManyRateLimitsWhichAreWaitedOut() {
    try (Simulation run = new Simulation(Scenario.builder().rateLimit(100, 10_000_000).window("1s").build())) {
      OpenAiClient client = run.client(OpenAiRetryPolicy.builder(run.time)).build();
      List<CompletableFuture<ChatCompletion>> calls = sendAtOnce(client, 300);
      assertThat(run.exchanges()).isEqualTo(300);
      run.runUntilDone(calls);

      System.out.printf("unpaced: %d x 429 for 300 requests, all done in %s (virtual)%n",
          run.server.stats().count(429), run.time.elapsed());
      // All 300 reach the bucket of 100 at once: 200 are refused in the first wave alone.
      assertThat(run.server.stats().count(429)).isGreaterThanOrEqualTo(200);
      // Rate limits are waits, not attempts: every call gets through before its deadline.
      assertThat(calls).allSatisfy(call -> assertThat(call).isCompleted().isNotCompletedExceptionally());
      assertThat(run.server.stats().count(200)).isEqualTo(300);
    }
  }

  @Test
  void anOutageLongerThanTheDeadlineFailsEachCallAtItsDeadlineWithoutMultiplyingTheLoad() {
    Scenario outage = Scenario.builder().outage(Duration.ZERO, Duration.ofMinutes(10)).build();
    try (Simulation run = new Simulation(outage)) {
      Duration deadline = Duration.ofSeconds(5);
      OpenAiClient client = run.client(OpenAiRetryPolicy.builder(run.time).maxElapsed(deadline)).build();
      List<CompletableFuture<ChatCompletion>> calls = new ArrayList<>();
      Duration[] endedAfter = new Duration[400];
      for (int i = 0; i < 400; i++) {
        Duration at = Duration.ofNanos(i * 2_500_000L);
        int call = i;
        calls.add(run.at(at, () -> client.chat().createAsync(REQUEST)
            .whenComplete((reply, failure) -> endedAfter[call] = run.time.elapsed().minus(at))));
      }
      run.runUntilDone(calls);

      long attempts = run.server.stats().totalRequests();
      System.out.printf("outage past the deadline: %d attempts for 400 calls (%.3f x)%n", attempts, attempts / 400.0);
      // Ten failures close the gate; after that only one probe at a time reaches the endpoint.
      assertThat(attempts).isLessThanOrEqualTo(40);
      assertThat(calls).allSatisfy(call -> assertThat(call).isCompletedExceptionally());
      Throwable failure = calls.get(399).handle((reply, e) -> e).join();
      assertThat(RetryHistory.of(failure).orElseThrow().reason()).isEqualTo(GiveUpReason.DEADLINE_EXCEEDED);
      assertThat(failure).hasMessageContaining("the endpoint has been failing since");
      assertThat(endedAfter).as("every call failed at its deadline, never before").containsOnly(deadline);
    }
  }

  /** Runs {@code count} blocking chat calls on {@code threads} threads; returns how many failed. */
  private static int run(OpenAiClient client, int count, int threads, List<Throwable> failures) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger failed = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(pool.submit(() -> {
        try {
          client.chat().create(REQUEST);
        } catch (OpenAiException e) {
          failed.incrementAndGet();
          synchronized (failures) {
            failures.add(e);
          }
        }
      }));
    }
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    return failed.get();
  }

  private static OpenAiClient failFast(MockServer server, RetryPolicyBuilder<Object> policy) {
    return OpenAiClient.builder().environment(name -> null).baseUrl(server.baseUrl()).apiKey("sk-pacing")
        .retryPolicy(policy.retryLogLevel(Level.OFF).build()).outageGate(OutageGate.disabled()).build();
  }

  @Test
  void whenFailingFastIsChosenTheDefaultBudgetAddsAFewRetriesToAFullOutageNotFiveTimesTheLoad() throws Exception {
    Scenario outage = Scenario.builder().outage(Duration.ZERO, Duration.ofMinutes(10)).build();
    // The preset with short backoff, no gate and the budget failing fast (its floor: 2 retries/s).
    RetryPolicyBuilder<Object> fast = OpenAiRetryPolicy.builder(TimeSource.system())
        .initialDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(10)).onBudgetExhausted(WhenExhausted.FAIL);
    try (MockServer server = MockServer.start(outage)) {
      List<Throwable> failures = new ArrayList<>();
      int failed = run(failFast(server, fast), 1_000, 32, failures);
      long attempts = server.stats().totalRequests();
      System.out.printf("outage with budget: %d attempts for 1000 requests (%.3f x)%n", attempts, attempts / 1000.0);
      assertThat(failed).isEqualTo(1_000);
      assertThat(attempts).isBetween(1_000L, 1_150L);
      assertThat(failures).anySatisfy(e -> {
        assertThat(RetryHistory.of(e).orElseThrow().reason()).isEqualTo(GiveUpReason.BUDGET_EXHAUSTED);
        assertThat(e.getMessage()).startsWith("503").contains("not retried").contains("retry budget exhausted");
      });
    }
    try (MockServer server = MockServer.start(outage)) {
      run(failFast(server, fast.budget(null)), 200, 32, new ArrayList<>());
      long attempts = server.stats().totalRequests();
      System.out.printf("outage without budget: %d attempts for 200 requests (%.3f x)%n", attempts, attempts / 200.0);
      assertThat(attempts).isEqualTo(1_000L);
    }
  }
}
