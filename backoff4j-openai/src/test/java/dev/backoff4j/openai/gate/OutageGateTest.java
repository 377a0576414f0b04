package dev.backoff4j.openai.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.OpenAiPipelineBuilder;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.errors.ServerErrorException;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.retry.event.Succeeded;
import dev.backoff4j.spi.Futures;
import dev.backoff4j.testkit.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The outage gate's rules ({@link OutageGate}), on virtual time through a whole pipeline. */
class OutageGateTest {

  private static final byte[] BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

  private final VirtualTime time = new VirtualTime();
  private final Endpoint endpoint = new Endpoint(time);
  private final List<Object> events = new CopyOnWriteArrayList<>();

  private final GateListener recorder = new GateListener() {
    @Override
    public void onClosed(GateClosed event) {
      events.add(event);
    }

    @Override
    public void onProbeSent(ProbeSent event) {
      events.add(event);
    }

    @Override
    public void onProbeFailed(ProbeFailed event) {
      events.add(event);
    }

    @Override
    public void onOpened(GateOpened event) {
      events.add(event);
    }

    @Override
    public void onRecovered(GateRecovered event) {
      events.add(event);
    }
  };

  /** The preset on virtual time, no budget, and no backoff: a failed attempt's retry meets the gate at once. */
  private RetryPolicyBuilder<Object> policy() {
    return TestSupport.preset(time).initialDelay(Duration.ZERO).maxDelay(Duration.ZERO);
  }

  private OutageGate.Settings.Builder gate() {
    return OutageGate.settings().listener(recorder);
  }

  private OpenAiPipelineBuilder pipeline(OutageGate.Settings.Builder gate, RetryPolicyBuilder<Object> policy) {
    return OpenAiPipeline.builder().environment(name -> null).baseUrl("http://127.0.0.1:9/v1").apiKey(TestSupport.KEY)
        .retryPolicy(policy.build()).transport(endpoint).outageGate(gate.build());
  }

  private static Request chat(OpenAiPipeline pipeline) {
    return Request.postJson(pipeline.url("/chat/completions"), BODY);
  }

  private static GateStats stats(OpenAiPipeline pipeline) {
    return pipeline.outageGate().orElseThrow().stats();
  }

  private static Throwable failure(CompletableFuture<?> future) {
    return Futures.unwrap(future.handle((ignored, failure) -> failure).join());
  }

  /** Moves time in 1 ms steps until the endpoint has seen {@code sends} requests (at most {@code limit}). */
  private void advanceUntilSent(int sends, Duration limit) {
    long steps = limit.toMillis();
    for (long i = 0; i < steps && endpoint.sent() < sends; i++) {
      time.advance(Duration.ofMillis(1));
    }
    assertThat(endpoint.sent()).as("requests sent by " + time.elapsed()).isEqualTo(sends);
  }

  @Test
  void tenTransientFailuresInARowCloseTheGateAndLaterRequestsWait() {
    OpenAiPipeline pipeline = pipeline(gate(), TestSupport.preset(time)).build();
    List<CompletableFuture<Response>> calls = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      calls.add(pipeline.executeAsync(chat(pipeline)));
    }
    assertThat(stats(pipeline).state()).isEqualTo(GateState.OPEN);
    assertThat(stats(pipeline).consecutiveFailures()).isEqualTo(9);
    calls.add(pipeline.executeAsync(chat(pipeline)));
    assertThat(stats(pipeline).state()).isEqualTo(GateState.CLOSED);
    assertThat(events).first().isInstanceOfSatisfying(GateClosed.class, closed -> {
      assertThat(closed.consecutiveFailures()).isEqualTo(10);
      assertThat(closed.failingSince()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
      assertThat(closed.lastFailure()).isInstanceOf(ServerErrorException.class);
    });

    time.advance(Duration.ofSeconds(2)); // every call's first retry (after 0.25-0.5 s) is due
    // Only probes reached the endpoint: one at a time, 50-100 ms, then 100-200, 200-400, 400-800 ms apart.
    assertThat(endpoint.sent()).isBetween(10 + 3, 10 + 6);
    assertThat(stats(pipeline).waiting()).isEqualTo(10);
    assertThat(calls).noneMatch(CompletableFuture::isDone);

    // Without a gate, the same two seconds cost every call its second and third attempt.
    Endpoint open = new Endpoint(time);
    OpenAiPipeline ungated = pipeline(gate(), TestSupport.preset(time)).transport(open)
        .outageGate(OutageGate.disabled()).build();
    for (int i = 0; i < 10; i++) {
      ungated.executeAsync(chat(ungated));
    }
    time.advance(Duration.ofSeconds(2));
    assertThat(open.sent()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void aServiceFailingTwelvePercentOfCallsDoesNotCloseTheGate() {
    Random random = new Random(42);
    endpoint.answering(() -> random.nextDouble() < 0.12 ? 503 : 200);
    OpenAiPipeline pipeline = pipeline(gate(), policy().maxAttempts(10)).build();
    for (int i = 0; i < 5_000; i++) {
      assertThat(pipeline.execute(chat(pipeline)).status()).isEqualTo(200);
    }
    assertThat(stats(pipeline).closings()).isZero();
    assertThat(endpoint.sent()).isBetween(5_500, 5_800);

    // The same service against a gate closing after 3 in a row: it closes (so the count above means something).
    Random again = new Random(42);
    Endpoint flaky = new Endpoint(time).answering(() -> again.nextDouble() < 0.12 ? 503 : 200);
    OpenAiPipeline twitchy = pipeline(gate().failuresToClose(3), policy().maxAttempts(10)).transport(flaky).build();
    for (int i = 0; i < 5_000; i++) {
      catchThrowable(() -> twitchy.execute(chat(twitchy)));
    }
    assertThat(stats(twitchy).closings()).isPositive();
  }

  @Test
  void rateLimitsAndClientErrorsShowTheServerIsUpAndResetTheRun() {
    int[] statuses = {503, 503, 503, 503, 503, 503, 503, 503, 503, 429, 503, 503, 503, 503, 503, 503, 503, 503, 503,
        400, 503, 503, 503, 503, 503, 503, 503, 503, 503};
    int[] next = {0};
    endpoint.answering(() -> statuses[next[0]++]);
    OpenAiPipeline pipeline = pipeline(gate(), policy().maxAttempts(1).maxRateLimitRetries(0)).build();
    for (int i = 0; i < statuses.length; i++) {
      catchThrowable(() -> pipeline.execute(chat(pipeline)));
    }
    assertThat(stats(pipeline).state()).isEqualTo(GateState.OPEN);
    assertThat(stats(pipeline).consecutiveFailures()).isEqualTo(9);
    assertThat(stats(pipeline).closings()).isZero();
  }

  @Test
  void oneProbeAtATimeWithJitteredExponentialBackoffBetweenThem() {
    endpoint.hold();
    OpenAiPipeline pipeline = pipeline(gate(), policy()).build();
    for (int i = 0; i < 10; i++) {
      pipeline.executeAsync(chat(pipeline));
    }
    endpoint.completeHeld(); // ten 503s: the gate closes
    time.advance(Duration.ZERO); // and the ten retries, due at once, wait
    assertThat(stats(pipeline).state()).isEqualTo(GateState.CLOSED);
    assertThat(stats(pipeline).waiting()).isEqualTo(10);

    long failedAt = 0;
    for (int probe = 1; probe <= 7; probe++) {
      advanceUntilSent(10 + probe, Duration.ofSeconds(2));
      long gap = time.elapsed().toMillis() - failedAt;
      long base = Math.min(1_000, 100L << (probe - 1));
      assertThat(gap).as("wait before probe " + probe).isBetween(base / 2, base);
      assertThat(endpoint.inFlight()).isEqualTo(1);
      time.advance(Duration.ofSeconds(5)); // a probe in flight: nobody else goes, however long it takes
      assertThat(endpoint.sent()).isEqualTo(10 + probe);
      endpoint.completeHeld();
      failedAt = time.elapsed().toMillis();
      assertThat(stats(pipeline).waiting()).as("the failed probe went back to waiting").isEqualTo(10);
    }
    assertThat(events).filteredOn(ProbeFailed.class::isInstance).hasSize(7);
    assertThat(stats(pipeline).failedProbes()).isEqualTo(7);
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aFailedProbeGoesBackToWaitingWithoutUsingUpTheCallsAttempts(boolean async) throws Exception {
    endpoint.downUntil(Duration.ofSeconds(5));
    List<Succeeded> succeeded = new CopyOnWriteArrayList<>();
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1), policy().maxAttempts(2))
        .listener(new CallListener() {
          @Override
          public void onSuccess(Succeeded event) {
            succeeded.add(event);
          }
        }).build();
    Response response;
    if (async) {
      CompletableFuture<Response> call = pipeline.executeAsync(chat(pipeline));
      while (!call.isDone() && time.elapsed().compareTo(Duration.ofSeconds(10)) < 0) {
        time.advance(Duration.ofMillis(10));
      }
      response = call.get();
    } else {
      response = pipeline.execute(chat(pipeline));
    }
    assertThat(response.status()).isEqualTo(200);
    assertThat(endpoint.sent()).as("the first attempt and at least five probes").isGreaterThan(6);
    assertThat(succeeded).singleElement().satisfies(done -> assertThat(done.attempts()).isEqualTo(2));
    assertThat(time.elapsed()).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void withoutADeadlineAFailedProbeCountsAsTheCallsAttempt() {
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1), policy().maxAttempts(3).maxElapsed(null)).build();
    Throwable failure = catchThrowable(() -> pipeline.execute(chat(pipeline)));
    assertThat(failure).isInstanceOf(ServerErrorException.class);
    assertThat(RetryHistory.of(failure).orElseThrow().reason()).isEqualTo(GiveUpReason.RETRIES_EXHAUSTED);
    assertThat(endpoint.sent()).isEqualTo(3);
  }

  @Test
  void theFirstSuccessReleasesTheWaitingRequestsInSlowStart() {
    endpoint.hold();
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1), policy()).build();
    List<CompletableFuture<Response>> calls = new ArrayList<>();
    calls.add(pipeline.executeAsync(chat(pipeline)));
    endpoint.completeHeld(); // closes the gate
    time.advance(Duration.ZERO); // this call's retry waits
    for (int i = 0; i < 30; i++) {
      calls.add(pipeline.executeAsync(chat(pipeline)));
    }
    assertThat(stats(pipeline).waiting()).isEqualTo(31);
    endpoint.up();
    advanceUntilSent(2, Duration.ofSeconds(1)); // the probe

    List<Integer> inFlightPerRound = new ArrayList<>();
    while (endpoint.inFlight() > 0) {
      inFlightPerRound.add(endpoint.inFlight());
      endpoint.completeHeld();
    }
    assertThat(inFlightPerRound).containsExactly(1, 2, 4, 8, 16);
    assertThat(calls).allSatisfy(call -> assertThat(call.join().status()).isEqualTo(200));
    assertThat(endpoint.sent()).isEqualTo(32);
    assertThat(stats(pipeline).state()).isEqualTo(GateState.OPEN);
    assertThat(events).filteredOn(e -> !(e instanceof ProbeSent)).last().isInstanceOfSatisfying(GateRecovered.class,
        recovered -> assertThat(recovered.window()).isEqualTo(16));
    assertThat(events).filteredOn(GateOpened.class::isInstance).singleElement()
        .satisfies(opened -> assertThat(((GateOpened) opened).waiting()).isEqualTo(30));
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aDeadlinePassingAtTheGateFailsWithTheOutageAndTheWaitInItsMessage(boolean async) {
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1), policy().maxElapsed(Duration.ofSeconds(30))).build();
    Throwable failure;
    if (async) {
      CompletableFuture<Response> call = pipeline.executeAsync(chat(pipeline));
      time.advance(Duration.ofMillis(29_999));
      assertThat(call).as("never failed before its deadline").isNotDone();
      time.advance(Duration.ofMillis(1));
      assertThat(call).isCompletedExceptionally();
      failure = failure(call);
    } else {
      failure = catchThrowable(() -> pipeline.execute(chat(pipeline)));
      assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(30));
    }
    assertThat(failure).isInstanceOf(OutageGateTimeoutException.class);
    OutageGateTimeoutException atGate = (OutageGateTimeoutException) failure;
    assertThat(atGate.failingSince()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(atGate.waited()).isEqualTo(Duration.ofSeconds(30));
    assertThat(failure.getMessage())
        .startsWith("outage gate: the endpoint has been failing since 2026-01-01T00:00:00Z (for 30.00s, ")
        .containsPattern("\\d+ probes failed, last: 503 server_error \\(req_\\d+\\)\\)")
        .endsWith("; this request waited 30.00s at the gate and its deadline passed");
    RetryHistory history = RetryHistory.of(failure).orElseThrow();
    assertThat(history.reason()).isEqualTo(GiveUpReason.DEADLINE_EXCEEDED);
    assertThat(history.attemptCount()).isEqualTo(2);
    assertThat(stats(pipeline).waiting()).isZero();
  }

  @Test
  void cancellingAWaitingCallTakesItOutOfTheLine() {
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1), policy()).build();
    CompletableFuture<Response> first = pipeline.executeAsync(chat(pipeline)); // closes the gate
    time.advance(Duration.ZERO); // its retry waits
    CompletableFuture<Response> second = pipeline.executeAsync(chat(pipeline));
    assertThat(stats(pipeline).waiting()).isEqualTo(2);

    second.cancel(true);
    assertThat(stats(pipeline).waiting()).isEqualTo(1);
    first.cancel(true);
    assertThat(stats(pipeline).waiting()).isZero();
    int sent = endpoint.sent();
    time.advance(Duration.ofMinutes(1));
    assertThat(endpoint.sent()).as("no probe without anyone waiting").isEqualTo(sent);
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void anInterruptedBlockingCallLeavesTheLineAndKeepsItsInterrupt() {
    OutageGate shared = gate().failuresToClose(1).build().newGate(time);
    OpenAiPipeline closer = pipeline(gate(), policy().maxAttempts(1)).sharedOutageGate(shared).build();
    catchThrowable(() -> closer.execute(chat(closer)));
    assertThat(shared.stats().state()).isEqualTo(GateState.CLOSED);

    OpenAiPipeline pipeline = pipeline(gate(), policy()).sharedOutageGate(shared).build();
    time.advance(Duration.ofSeconds(1));
    endpoint.hold();
    pipeline.executeAsync(chat(pipeline)); // the probe, held in flight
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> pipeline.execute(chat(pipeline))).isInstanceOf(CancellationException.class)
          .hasMessage("interrupted while waiting at the outage gate");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(shared.stats().waiting()).isZero();
  }

  @Test
  void aCallWaitingAtTheGateIsToldOnceWithSinceWhenTheEndpointFails() {
    List<GateWait> waits = new CopyOnWriteArrayList<>();
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1), policy().maxElapsed(Duration.ofSeconds(20)))
        .listener(new CallListener() {
          @Override
          public void onGateWait(GateWait event) {
            waits.add(event);
          }
        }).build();
    CompletableFuture<Response> call = pipeline.executeAsync(chat(pipeline));
    time.advance(Duration.ofSeconds(5));
    assertThat(waits).singleElement().satisfies(wait -> {
      assertThat(wait.state()).isEqualTo(GateState.CLOSED);
      assertThat(wait.failingSince()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
      assertThat(wait.failingFor()).isEqualTo(Duration.ZERO);
      assertThat(wait.waiting()).isEqualTo(1);
      assertThat(wait.timeLeft()).contains(Duration.ofSeconds(20));
    });
    GateStats stats = stats(pipeline);
    assertThat(stats.since()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(stats.lastFailure()).hasValueSatisfying(last -> assertThat(last).startsWith("503 server_error"));
    call.cancel(true);
  }

  /** A listener recording each call's gate waits, start and end, in order. */
  private CallListener gateWaits(List<Object> into) {
    return new CallListener() {
      @Override
      public void onGateWait(GateWait event) {
        into.add(event);
      }

      @Override
      public void onGateWaitEnded(GateWaitEnded event) {
        into.add(event);
      }

      @Override
      public void onSuccess(Succeeded event) {
        into.add(event);
      }
    };
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aWaitAtTheGateEndsOnceWhenTheGateLetsTheAttemptThroughWithHowLongItWaited(boolean async) throws Exception {
    endpoint.downUntil(Duration.ofSeconds(5));
    List<Object> told = new CopyOnWriteArrayList<>();
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1), policy().maxAttempts(2))
        .listener(gateWaits(told)).build();
    if (async) {
      CompletableFuture<Response> call = pipeline.executeAsync(chat(pipeline));
      while (!call.isDone() && time.elapsed().compareTo(Duration.ofSeconds(10)) < 0) {
        time.advance(Duration.ofMillis(1));
      }
      assertThat(call.get().status()).isEqualTo(200);
    } else {
      assertThat(pipeline.execute(chat(pipeline)).status()).isEqualTo(200);
    }
    // The first attempt fails at 0 and closes the gate; the retry waits from 0 (no backoff) through
    // its failed probes until the probe that succeeds is let through, the call's last moment.
    assertThat(endpoint.sent()).as("failed probes in between").isGreaterThan(3);
    assertThat(told).hasSize(3);
    assertThat(told.get(0)).isInstanceOf(GateWait.class);
    assertThat(told.get(1)).isInstanceOfSatisfying(GateWaitEnded.class, ended -> {
      assertThat(ended.letThrough()).isTrue();
      // Blocking, the clock stops at the probe's send; stepped 1 ms at a time, it may be up to 1 ms on.
      assertThat(ended.waited()).isGreaterThanOrEqualTo(Duration.ofSeconds(5))
          .isBetween(time.elapsed().minusMillis(async ? 1 : 0), time.elapsed());
    });
    assertThat(told.get(2)).as("before the call's end").isInstanceOf(Succeeded.class);
    assertThat(stats(pipeline).succeededProbes()).isEqualTo(1);
    assertThat(stats(pipeline).failedProbes()).isEqualTo(endpoint.sent() - 2);
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aWaitAtTheGateThatTheDeadlineEndsIsToldAsNotLetThrough(boolean async) {
    List<Object> told = new CopyOnWriteArrayList<>();
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1), policy().maxElapsed(Duration.ofSeconds(30)))
        .listener(gateWaits(told)).build();
    if (async) {
      CompletableFuture<Response> call = pipeline.executeAsync(chat(pipeline));
      time.advance(Duration.ofSeconds(30));
      assertThat(call).isCompletedExceptionally();
    } else {
      catchThrowable(() -> pipeline.execute(chat(pipeline)));
    }
    assertThat(told).filteredOn(GateWaitEnded.class::isInstance).singleElement()
        .isEqualTo(new GateWaitEnded(Duration.ofSeconds(30), false));
  }

  @Test
  void aCancelledWaitIsToldAsNotLetThrough() {
    List<Object> told = new CopyOnWriteArrayList<>();
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1), policy()).listener(gateWaits(told)).build();
    CompletableFuture<Response> call = pipeline.executeAsync(chat(pipeline));
    time.advance(Duration.ofSeconds(3));
    call.cancel(true);
    assertThat(told).filteredOn(GateWaitEnded.class::isInstance).singleElement()
        .isEqualTo(new GateWaitEnded(Duration.ofSeconds(3), false));
  }

  @Test
  void failFastGateRefusesRequestsWhileClosedExceptTheProbe() {
    OpenAiPipeline pipeline = pipeline(gate().failuresToClose(1).whenClosed(WhenClosed.FAIL),
        policy().maxAttempts(1)).build();
    catchThrowable(() -> pipeline.execute(chat(pipeline))); // 503: closes the gate
    Throwable refused = catchThrowable(() -> pipeline.execute(chat(pipeline)));
    assertThat(refused).isInstanceOf(OutageGateClosedException.class)
        .hasMessageStartingWith("outage gate closed: the endpoint has been failing since 2026-01-01T00:00:00Z");
    assertThat(RetryHistory.of(refused).orElseThrow().reason()).isEqualTo(GiveUpReason.NOT_RETRYABLE);
    assertThat(endpoint.sent()).isEqualTo(1);

    endpoint.up();
    time.advance(Duration.ofMillis(100)); // the probe is due: the next request goes, and opens the gate
    assertThat(pipeline.execute(chat(pipeline)).status()).isEqualTo(200);
    assertThat(stats(pipeline).state()).isEqualTo(GateState.OPEN);
  }

  @Test
  void failFastWithoutAGateAndWithABudgetThatFailsIsTheOldBehaviour() {
    RetryBudget.Settings floorOfOne = RetryBudget.settings().ratio(0).minRetriesPerSecond(1).build();
    OpenAiPipeline pipeline = pipeline(gate(), policy().budget(floorOfOne).onBudgetExhausted(WhenExhausted.FAIL))
        .outageGate(OutageGate.disabled()).build();
    assertThat(pipeline.outageGate()).isEmpty();
    List<Throwable> failures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      failures.add(catchThrowable(() -> pipeline.execute(chat(pipeline))));
    }
    // The floor paid one retry; every other retry was refused at once.
    assertThat(failures).allSatisfy(f -> assertThat(RetryHistory.of(f).orElseThrow().reason())
        .isEqualTo(GiveUpReason.BUDGET_EXHAUSTED));
    assertThat(endpoint.sent()).isEqualTo(21);
    assertThat(time.elapsed()).as("failed fast").isEqualTo(Duration.ZERO);
  }

  @Test
  void oneGatePerEndpointSharedByDerivedPipelines() {
    OpenAiPipeline pipeline = pipeline(gate(), policy()).build();
    OutageGate gate = pipeline.outageGate().orElseThrow();
    assertThat(pipeline.newBuilder().timeout(Duration.ofSeconds(5)).build().outageGate()).containsSame(gate);
    assertThat(pipeline.newBuilder().baseUrl("http://127.0.0.1:9/other/v1").build().outageGate())
        .as("same origin").containsSame(gate);
    assertThat(pipeline.newBuilder().apiKey("sk-another-key").build().outageGate().orElseThrow()).isNotSameAs(gate);
    assertThat(pipeline.newBuilder().baseUrl("http://127.0.0.2:9/v1").build().outageGate().orElseThrow())
        .isNotSameAs(gate);
    assertThat(pipeline(gate(), policy()).build().outageGate().orElseThrow())
        .as("an independent pipeline has gates of its own").isNotSameAs(gate);

    OutageGate shared = OutageGate.defaults().newGate(time);
    assertThat(pipeline(gate(), policy()).sharedOutageGate(shared).build().outageGate()).containsSame(shared);
    assertThat(pipeline(gate(), policy()).baseUrl("https://example.com/v1").sharedOutageGate(shared).build()
        .outageGate()).containsSame(shared);
    assertThat(gate.toString()).doesNotContain(TestSupport.KEY);
  }

  @Test
  void settingsAreCheckedNamingTheSetting() {
    assertThatThrownBy(() -> OutageGate.settings().failuresToClose(0))
        .hasMessage("outage gate setting 'failuresToClose' must be at least 1, was 0");
    assertThatThrownBy(() -> OutageGate.settings().probeMaxDelay(Duration.ZERO))
        .hasMessageContaining("'probeMaxDelay' must be positive");
    assertThatThrownBy(() -> OutageGate.settings().probeInitialDelay(Duration.ofSeconds(5)).build())
        .hasMessageContaining("'probeMaxDelay' must be >= probeInitialDelay");
    assertThatThrownBy(() -> OutageGate.disabled().newGate(time)).isInstanceOf(IllegalStateException.class);
  }
}
