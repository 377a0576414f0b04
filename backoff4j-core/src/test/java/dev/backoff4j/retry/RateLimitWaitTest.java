package dev.backoff4j.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.testkit.VirtualTime;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A rate limit is a wait, not an attempt used up: the rules of {@code RetryPolicyBuilder.maxRateLimitRetries}. */
class RateLimitWaitTest {

  /** "Too many requests, try again in {@code hint}"; {@code null} hint: no hint. */
  static final class RateLimited extends RuntimeException {
    final Duration hint;

    RateLimited(Duration hint) {
      super("429");
      this.hint = hint;
    }
  }

  static final class ServerError extends RuntimeException {
    ServerError() {
      super("503");
    }
  }

  private final VirtualTime time = new VirtualTime();
  private final List<RetryScheduled> scheduled = new ArrayList<>();

  private RetryPolicyBuilder<Object> policy() {
    return RetryPolicy.builder()
        .maxAttempts(3)
        .initialDelay(Duration.ofSeconds(1))
        .multiplier(2)
        .maxDelay(Duration.ofSeconds(4))
        .jitter(Jitter.NONE)
        .maxElapsed(Duration.ofMinutes(10))
        .retryLogLevel(Level.OFF)
        .timeSource(time)
        .listener(new RetryListener() {
          @Override
          public void onRetryScheduled(RetryScheduled event) {
            scheduled.add(event);
          }
        })
        .classifier((result, failure) -> failure instanceof RateLimited limited
            ? Verdict.rateLimited(limited.hint, "retry-after-ms")
            : failure != null ? Verdict.RETRY : Verdict.SUCCESS);
  }

  /** Throws the given failures in turn, then returns "ok". */
  private static java.util.function.Supplier<Object> failing(AtomicInteger calls, RuntimeException... failures) {
    return () -> {
      int call = calls.getAndIncrement();
      if (call < failures.length) {
        throw failures[call];
      }
      return "ok";
    };
  }

  private static RuntimeException[] rateLimits(int count, Duration hint) {
    RuntimeException[] failures = new RuntimeException[count];
    for (int i = 0; i < count; i++) {
      failures[i] = new RateLimited(hint);
    }
    return failures;
  }

  @Test
  void rateLimitRetriesDoNotCountAgainstMaxAttemptsUnderADeadline() {
    AtomicInteger calls = new AtomicInteger();
    // Ten 429s against maxAttempts(3): every one is waited out.
    Object result = policy().build().get(failing(calls, rateLimits(10, Duration.ofMillis(5))));
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(11);
  }

  @Test
  void rateLimitWaitsStartAtTheHintAndGrowAboveItOnEachRepeat() {
    AtomicInteger calls = new AtomicInteger();
    policy().build().get(failing(calls, rateLimits(5, Duration.ofMillis(5))));
    // The hint, then the hint plus the policy's backoff: 1 s, 2 s, 4 s (maxDelay caps the growth).
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(5), Duration.ofMillis(1005), Duration.ofMillis(2005),
        Duration.ofMillis(4005), Duration.ofMillis(4005));
    assertThat(scheduled).extracting(RetryScheduled::delaySource)
        .containsExactly("retry-after-ms", "retry-after-ms+backoff", "retry-after-ms+backoff", "retry-after-ms+backoff",
            "retry-after-ms+backoff");
  }

  @Test
  void jitteredGrowthStaysWithinTheHintAndTheHintPlusMaxDelay() {
    for (int run = 0; run < 50; run++) {
      VirtualTime clock = new VirtualTime();
      AtomicInteger calls = new AtomicInteger();
      policy().timeSource(clock).jitter(Jitter.FULL).build().get(failing(calls, rateLimits(6, Duration.ofMillis(300))));
      assertThat(clock.sleeps().get(0)).isEqualTo(Duration.ofMillis(300));
      assertThat(clock.sleeps()).allSatisfy(wait -> assertThat(wait)
          .isBetween(Duration.ofMillis(300), Duration.ofMillis(300).plusSeconds(4)));
    }
  }

  @Test
  void aRateLimitWithoutAHintWaitsTheGrowingBackoff() {
    AtomicInteger calls = new AtomicInteger();
    policy().build().get(failing(calls, rateLimits(4, null)));
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(4));
  }

  @Test
  void failuresStillCountWhileRateLimitsDoNot() {
    AtomicInteger calls = new AtomicInteger();
    RuntimeException last = new ServerError();
    RuntimeException[] failures = {new RateLimited(Duration.ofMillis(5)), new ServerError(),
        new RateLimited(Duration.ofMillis(5)), new RateLimited(Duration.ofMillis(5)), new ServerError(), last};
    assertThatThrownBy(() -> policy().build().get(failing(calls, failures))).isSameAs(last);
    RetryHistory history = RetryHistory.of(last).orElseThrow();
    assertThat(history.reason()).isEqualTo(GiveUpReason.RETRIES_EXHAUSTED);
    assertThat(history.attemptCount()).as("3 counted attempts + 3 rate-limit waits").isEqualTo(6);
    // The failures' backoff is that of the 1st and 2nd counted retry, not of the 2nd and 5th attempt.
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(5), Duration.ofSeconds(1), Duration.ofMillis(1005),
        Duration.ofMillis(2005), Duration.ofSeconds(2));
  }

  @Test
  void theDeadlineEndsRepeatedRateLimits() {
    AtomicInteger calls = new AtomicInteger();
    RateLimited last = new RateLimited(Duration.ofSeconds(1));
    java.util.function.Supplier<Object> forever = () -> {
      calls.incrementAndGet();
      throw last;
    };
    RetryPolicy<Object> policy = policy().maxElapsed(Duration.ofSeconds(30)).build();
    assertThatThrownBy(() -> policy.get(forever)).isSameAs(last);
    RetryHistory history = RetryHistory.of(last).orElseThrow();
    assertThat(history.reason()).isEqualTo(GiveUpReason.DEADLINE_EXCEEDED);
    // 1, 2, 3, 5, 5, 5, 5 s = 26 s waited; the next 5 s would end at 31 s.
    assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(26));
    assertThat(calls).hasValue(8);
  }

  @Test
  void aHintAboveTheServerDelayCapStillFailsAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    RateLimited limited = new RateLimited(Duration.ofMinutes(5));
    assertThatThrownBy(() -> policy().maxServerDelay(Duration.ofSeconds(60)).build().get(failing(calls, limited)))
        .isSameAs(limited);
    assertThat(RetryHistory.of(limited).orElseThrow().reason()).isEqualTo(GiveUpReason.HINT_EXCEEDS_CAP);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void withoutADeadlineRateLimitsCountAsAttempts() {
    AtomicInteger calls = new AtomicInteger();
    RuntimeException[] failures = rateLimits(10, Duration.ofMillis(5));
    RetryPolicy<Object> policy = policy().maxElapsed(null).build();
    assertThat(policy.rateLimitsAreWaits()).isFalse();
    assertThatThrownBy(() -> policy.get(failing(calls, failures))).isSameAs(failures[2]);
    assertThat(RetryHistory.of(failures[2]).orElseThrow().reason()).isEqualTo(GiveUpReason.RETRIES_EXHAUSTED);
    assertThat(calls).hasValue(3);
  }

  @Test
  void maxRateLimitRetriesBoundsThemWithOrWithoutADeadline() {
    for (Duration deadline : new Duration[] {null, Duration.ofMinutes(10)}) {
      AtomicInteger calls = new AtomicInteger();
      RuntimeException[] failures = rateLimits(10, Duration.ofMillis(5));
      RetryPolicy<Object> policy = policy().maxElapsed(deadline).maxRateLimitRetries(4).build();
      assertThat(policy.rateLimitsAreWaits()).isTrue();
      assertThatThrownBy(() -> policy.get(failing(calls, failures))).isSameAs(failures[4]);
      assertThat(RetryHistory.of(failures[4]).orElseThrow().reason()).isEqualTo(GiveUpReason.RETRIES_EXHAUSTED);
      assertThat(calls).as("the first attempt and 4 rate-limit retries").hasValue(5);
    }
  }

  @Test
  void maxRateLimitRetriesZeroNeverRetriesARateLimitButStillRetriesFailures() {
    AtomicInteger calls = new AtomicInteger();
    RateLimited limited = new RateLimited(Duration.ofMillis(5));
    assertThatThrownBy(() -> policy().maxRateLimitRetries(0).build().get(failing(calls, new ServerError(), limited)))
        .isSameAs(limited);
    assertThat(calls).hasValue(2);
  }

  @Test
  void maxRateLimitRetriesRefusesNegativeValuesNamingItself() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxRateLimitRetries(-1))
        .hasMessage("retry policy setting 'maxRateLimitRetries' must be at least 0, was -1");
  }

  @Test
  void anAsyncExecutionWaitsOutRateLimitsTheSameWay() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<Object> result = policy().build().executeAsync(context -> calls.getAndIncrement() < 6
        ? CompletableFuture.failedFuture(new RateLimited(Duration.ofMillis(5)))
        : CompletableFuture.completedFuture("ok"));
    time.advance(Duration.ofSeconds(13));
    assertThat(result).isNotDone();
    time.advance(Duration.ofMillis(1_100));
    // 5 + 1005 + 2005 + 4005 + 4005 + 4005 ms = 15.03 s
    assertThat(result).isNotDone();
    time.advance(Duration.ofSeconds(1));
    assertThat(result).isCompletedWithValue("ok");
    assertThat(calls).hasValue(7);
  }
}
