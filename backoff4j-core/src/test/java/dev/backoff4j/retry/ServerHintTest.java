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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerHintTest {

  /** A failure carrying the delay a server suggested. */
  static final class HintedFailure extends RuntimeException {
    final Duration hint;

    HintedFailure(Duration hint) {
      super("429, hint " + hint);
      this.hint = hint;
    }
  }

  private final VirtualTime time = new VirtualTime();
  private final List<RetryScheduled> scheduled = new ArrayList<>();

  private RetryPolicyBuilder<Object> policy() {
    return RetryPolicy.builder()
        .maxAttempts(3)
        .initialDelay(Duration.ofSeconds(1))
        .jitter(Jitter.NONE)
        .retryLogLevel(Level.OFF)
        .timeSource(time)
        .listener(new RetryListener() {
          @Override
          public void onRetryScheduled(RetryScheduled event) {
            scheduled.add(event);
          }
        })
        .classifier((result, failure) -> failure instanceof HintedFailure hinted
            ? Verdict.retryAfter(hinted.hint, "retry-after-ms")
            : Verdict.SUCCESS);
  }

  private static Object failOnceWith(AtomicInteger calls, Duration hint) {
    if (calls.getAndIncrement() == 0) {
      throw new HintedFailure(hint);
    }
    return "ok";
  }

  @Test
  void hintReplacesTheComputedBackoffExactly() {
    AtomicInteger calls = new AtomicInteger();
    assertThat(policy().jitter(Jitter.FULL).build().get(() -> failOnceWith(calls, Duration.ofMillis(1030)))).isEqualTo("ok");
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(1030));
    assertThat(scheduled).singleElement().satisfies(event -> {
      assertThat(event.delaySource()).isEqualTo("retry-after-ms");
      assertThat(event.delay()).isEqualTo(Duration.ofMillis(1030));
    });
  }

  @Test
  void hintMayExceedMaxDelayUpToTheServerDelayCap() {
    AtomicInteger calls = new AtomicInteger();
    policy().maxDelay(Duration.ofSeconds(2)).build().get(() -> failOnceWith(calls, Duration.ofSeconds(20)));
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(20));
  }

  @Test
  void hintAboveTheCapFailsAtOnceCarryingTheHint() {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy<Object> policy = policy().maxServerDelay(Duration.ofSeconds(60)).build();

    assertThatThrownBy(() -> policy.get(() -> failOnceWith(calls, Duration.ofHours(1))))
        .isInstanceOf(HintedFailure.class)
        .satisfies(failure -> {
          RetryHistory history = RetryHistory.of(failure).orElseThrow();
          assertThat(history.reason()).isEqualTo(GiveUpReason.HINT_EXCEEDS_CAP);
          assertThat(history.rejectedHint()).contains(Duration.ofHours(1));
          assertThat(history.toString()).endsWith("server asked for 1h0m");
        });
    assertThat(calls).hasValue(1);
    assertThat(time.sleeps()).isEmpty();
    assertThat(time.elapsed()).isZero();
  }

  @Test
  void hintEndingPastTheDeadlineFailsAtOnceCarryingTheHint() {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy<Object> policy = policy().maxServerDelay(Duration.ofHours(2)).maxElapsed(Duration.ofSeconds(10)).build();

    assertThatThrownBy(() -> policy.get(() -> failOnceWith(calls, Duration.ofSeconds(3600))))
        .satisfies(failure -> {
          RetryHistory history = RetryHistory.of(failure).orElseThrow();
          assertThat(history.reason()).isEqualTo(GiveUpReason.DEADLINE_EXCEEDED);
          assertThat(history.rejectedHint()).contains(Duration.ofSeconds(3600));
        });
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void zeroAndNegativeHintsFallBackToBackoff() {
    AtomicInteger calls = new AtomicInteger();
    policy().build().get(() -> failOnceWith(calls, Duration.ofSeconds(-5)));
    AtomicInteger moreCalls = new AtomicInteger();
    policy().build().get(() -> failOnceWith(moreCalls, Duration.ZERO));
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(scheduled).extracting(RetryScheduled::delaySource).containsExactly("backoff", "backoff");
  }

  @Test
  void verdictIgnoresUnusableHints() {
    assertThat(Verdict.retryAfter(null, "Retry-After")).isSameAs(Verdict.RETRY);
    assertThat(Verdict.retryAfter(Duration.ofMillis(-1), "Retry-After")).isSameAs(Verdict.RETRY);
    assertThat(Verdict.retryAfter(Duration.ofMillis(5), "Retry-After").hint()).contains(Duration.ofMillis(5));
  }
}
