package dev.backoff4j.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.testkit.VirtualTime;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SyncRetryTest {

  private final VirtualTime time = new VirtualTime();

  private RetryPolicyBuilder<Object> policy() {
    return RetryPolicy.builder()
        .maxAttempts(4)
        .initialDelay(Duration.ofSeconds(1))
        .jitter(Jitter.NONE)
        .retryLogLevel(Level.OFF)
        .timeSource(time);
  }

  /** A supplier that throws the given failures in order, then returns "ok". */
  private static Supplier<String> failingThen(AtomicInteger calls, RuntimeException... failures) {
    return () -> {
      int call = calls.getAndIncrement();
      if (call < failures.length) {
        throw failures[call];
      }
      return "ok";
    };
  }

  @Test
  void successOnFirstAttemptNeitherRetriesNorSleeps() {
    AtomicInteger calls = new AtomicInteger();
    assertThat(policy().build().get(failingThen(calls))).isEqualTo("ok");
    assertThat(calls).hasValue(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void anOutOfMemoryErrorIsNeverRetriedEvenWhenTheClassifierSaysRetry() {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy<Object> retryEverything = policy().classifier((result, failure) ->
        failure != null ? Verdict.RETRY : Verdict.SUCCESS).build();
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");

    assertThatThrownBy(() -> retryEverything.get(() -> {
      calls.incrementAndGet();
      throw oom;
    })).isSameAs(oom);
    assertThatThrownBy(() -> retryEverything.get(() -> {
      calls.incrementAndGet();
      throw new IllegalStateException("reading the body failed", oom);
    })).isInstanceOf(IllegalStateException.class).hasCause(oom);
    assertThat(calls).hasValue(2);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void retriesWithExponentialBackoffUntilSuccess() {
    AtomicInteger calls = new AtomicInteger();
    String result = policy().build().get(failingThen(calls, new IllegalStateException("a"), new IllegalStateException("b")));
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void givingUpThrowsTheLastFailureItselfWithHistoryAttached() {
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException last = new IllegalStateException("fourth");
    Supplier<String> supplier = failingThen(calls, new IllegalStateException("first"),
        new IllegalStateException("second"), new IllegalStateException("third"), last);

    assertThatThrownBy(() -> policy().build().get(supplier)).isSameAs(last);

    RetryHistory history = RetryHistory.of(last).orElseThrow();
    assertThat(history.reason()).isEqualTo(GiveUpReason.RETRIES_EXHAUSTED);
    assertThat(history.attemptCount()).isEqualTo(4);
    assertThat(history.totalWaited()).isEqualTo(Duration.ofSeconds(7));
    assertThat(history.failures()).extracting(Throwable::getMessage)
        .containsExactly("first", "second", "third", "fourth");
    assertThat(history.attempts().get(0).waitAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(history.attempts().get(3).waitAfter()).isNull();
    assertThat(history.toString()).isEqualTo("gave up after 4 attempts in 7.00s (retries exhausted), waited 7.00s");
  }

  @Test
  void checkedExceptionsReachTheCallerByTheirOwnType() {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy<Object> policy = policy().maxAttempts(2).build();
    Attempt<String, IOException> attempt = context -> {
      calls.incrementAndGet();
      throw new IOException("connection reset");
    };
    try {
      policy.execute(attempt);
      org.junit.jupiter.api.Assertions.fail("expected the IOException");
    } catch (IOException expected) { // compiles only because execute declares IOException
      assertThat(expected).hasMessage("connection reset");
      assertThat(RetryHistory.of(expected)).isPresent();
    }
    assertThat(calls).hasValue(2);
  }

  @Test
  void nonRetryableFailureStopsAfterOneAttempt() {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy<Object> policy = policy()
        .classifier(RetryClassifier.retryWhen(failure -> !(failure instanceof IllegalArgumentException), result -> false))
        .build();
    IllegalArgumentException unauthorized = new IllegalArgumentException("401");

    assertThatThrownBy(() -> policy.get(failingThen(calls, unauthorized))).isSameAs(unauthorized);
    assertThat(calls).hasValue(1);
    assertThat(RetryHistory.of(unauthorized).orElseThrow().reason()).isEqualTo(GiveUpReason.NOT_RETRYABLE);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void resultsCanBeRetried() {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy<Integer> policy = policy().<Integer>classifier(
        RetryClassifier.retryWhen(failure -> true, status -> status == 503)).build();

    Integer status = policy.get(() -> calls.incrementAndGet() < 3 ? 503 : 200);

    assertThat(status).isEqualTo(200);
    assertThat(calls).hasValue(3);
  }

  @Test
  void retriedResultIsReturnedWhenAttemptsRunOut() {
    List<Object> gaveUpWith = new ArrayList<>();
    RetryPolicy<Integer> policy = policy()
        .listener(new dev.backoff4j.retry.event.RetryListener() {
          @Override
          public void onGiveUp(dev.backoff4j.retry.event.GaveUp event) {
            gaveUpWith.add(event.reason());
            gaveUpWith.add(event.result());
          }
        })
        .<Integer>classifier(RetryClassifier.retryWhen(failure -> true, status -> status == 503))
        .build();

    assertThat(policy.get(() -> 503)).isEqualTo(503);
    assertThat(gaveUpWith).containsExactly(GiveUpReason.RETRIES_EXHAUSTED, 503);
  }

  @Test
  void stopVerdictOnAResultReturnsIt() {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy<Integer> policy = policy()
        .<Integer>classifier((status, failure) -> status == 401 ? Verdict.stop("unauthorized") : Verdict.SUCCESS)
        .build();
    assertThat(policy.get(() -> { calls.incrementAndGet(); return 401; })).isEqualTo(401);
    assertThat(calls).hasValue(1);
  }

  @Test
  void successVerdictForAFailureStillThrows() {
    RetryPolicy<Object> policy = policy().classifier((result, failure) -> Verdict.SUCCESS).build();
    IllegalStateException failure = new IllegalStateException("boom");
    assertThatThrownBy(() -> policy.get(() -> { throw failure; })).isSameAs(failure);
  }

  @Test
  void throwingClassifierStopsAndTravelsAsSuppressed() {
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException classifierBug = new IllegalStateException("classifier bug");
    RetryPolicy<Object> policy = policy().classifier((result, failure) -> { throw classifierBug; }).build();
    IllegalStateException failure = new IllegalStateException("boom");

    assertThatThrownBy(() -> policy.get(() -> { calls.incrementAndGet(); throw failure; }))
        .isSameAs(failure)
        .satisfies(thrown -> assertThat(thrown.getSuppressed()).contains(classifierBug));
    assertThatThrownBy(() -> policy.get(() -> "fine")).isSameAs(classifierBug);
    assertThat(calls).hasValue(1);
  }

  @Test
  void interruptsAndErrorsAreNotRetriedByDefault() {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy<Object> policy = policy().build();
    assertThatThrownBy(() -> policy.call(() -> { calls.incrementAndGet(); throw new InterruptedException(); }))
        .isInstanceOf(InterruptedException.class);
    assertThatThrownBy(() -> policy.run(() -> { calls.incrementAndGet(); throw new AssertionError("bug"); }))
        .isInstanceOf(AssertionError.class);
    assertThat(calls).hasValue(2);
  }

  @Test
  void eachAttemptSeesItsContext() {
    List<String> seen = new ArrayList<>();
    RetryPolicy<Object> policy = policy().maxElapsed(Duration.ofSeconds(100)).attemptTimeout(Duration.ofSeconds(30)).build();
    String result = policy.execute(context -> {
      seen.add(context.attempt() + " " + context.elapsed().toSeconds() + "s left=" + context.timeLeft().orElseThrow().toSeconds()
          + " timeout=" + context.attemptTimeout().orElseThrow().toSeconds()
          + " prev=" + context.previousFailure().map(Throwable::getMessage).orElse("-"));
      if (context.attempt() < 3) {
        throw new IllegalStateException("fail " + context.attempt());
      }
      return "done";
    });
    assertThat(result).isEqualTo("done");
    assertThat(seen).containsExactly(
        "1 0s left=100 timeout=30 prev=-",
        "2 1s left=99 timeout=30 prev=fail 1",
        "3 3s left=97 timeout=30 prev=fail 2");
  }

  @Test
  void attemptTimeoutShrinksToTheTimeLeft() {
    List<Duration> timeouts = new ArrayList<>();
    RetryPolicy<Object> policy = policy().initialDelay(Duration.ofSeconds(4)).maxDelay(Duration.ofSeconds(4))
        .maxElapsed(Duration.ofSeconds(10)).attemptTimeout(Duration.ofSeconds(8)).build();
    assertThatThrownBy(() -> policy.execute(context -> {
      timeouts.add(context.attemptTimeout().orElseThrow());
      throw new IllegalStateException();
    })).isInstanceOf(IllegalStateException.class);
    assertThat(timeouts).containsExactly(Duration.ofSeconds(8), Duration.ofSeconds(6), Duration.ofSeconds(2));
  }

  @Test
  void decoratedFunctionRetriesEachCall() {
    AtomicInteger calls = new AtomicInteger();
    Function<String, String> shout = policy().build().decorateFunction(text -> {
      if (calls.incrementAndGet() % 2 == 1) {
        throw new IllegalStateException("flaky");
      }
      return text.toUpperCase();
    });
    assertThat(shout.apply("a")).isEqualTo("A");
    assertThat(shout.apply("b")).isEqualTo("B");
    assertThat(calls).hasValue(4);
  }

  @Test
  void decoratedSupplierRetries() {
    AtomicInteger calls = new AtomicInteger();
    Supplier<String> decorated = policy().build().decorateSupplier(failingThen(calls, new IllegalStateException()));
    assertThat(decorated.get()).isEqualTo("ok");
    assertThat(calls).hasValue(2);
  }

  @Test
  void firstAttemptIsTimedOnlyWhenADeadlineOrListenerNeedsIt() {
    Supplier<String> slowFailure = () -> {
      time.advance(Duration.ofSeconds(2)); // the call itself takes 2 s
      throw new IllegalStateException("down");
    };
    IllegalStateException timed = catchFailure(policy().maxAttempts(2).maxElapsed(Duration.ofMinutes(1)).build(), slowFailure);
    IllegalStateException untimed = catchFailure(policy().maxAttempts(2).build(), slowFailure);

    assertThat(RetryHistory.of(timed).orElseThrow().attempts().get(0).duration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryHistory.of(timed).orElseThrow().elapsed()).isEqualTo(Duration.ofSeconds(5));
    // documented: without a deadline or listeners the execution's clock starts at the first failure
    assertThat(RetryHistory.of(untimed).orElseThrow().attempts().get(0).duration()).isZero();
    assertThat(RetryHistory.of(untimed).orElseThrow().elapsed()).isEqualTo(Duration.ofSeconds(3));
  }

  private static IllegalStateException catchFailure(RetryPolicy<Object> policy, Supplier<String> supplier) {
    try {
      policy.get(supplier);
    } catch (IllegalStateException expected) {
      return expected;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void aSharedExceptionInstanceDoesNotAccumulateHistories() {
    IllegalStateException shared = new IllegalStateException("always the same instance");
    RetryPolicy<Object> policy = policy().maxAttempts(2).build();
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> policy.get(() -> { throw shared; })).isSameAs(shared);
    }
    assertThat(shared.getSuppressed()).hasSize(1);
  }

  @Test
  void aClassifierThatThrowsOnAResultIsAskedOnce() {
    AtomicInteger classified = new AtomicInteger();
    IllegalStateException classifierBug = new IllegalStateException("classifier bug");
    RetryPolicy<Object> policy = policy().classifier((result, failure) -> {
      classified.incrementAndGet();
      throw classifierBug;
    }).build();

    assertThatThrownBy(() -> policy.get(() -> "fine")).isSameAs(classifierBug);
    assertThat(classified).hasValue(1);
    assertThat(RetryHistory.of(classifierBug).orElseThrow().reason()).isEqualTo(GiveUpReason.NOT_RETRYABLE);
  }
}
