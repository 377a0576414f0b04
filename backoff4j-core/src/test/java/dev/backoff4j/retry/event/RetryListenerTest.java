package dev.backoff4j.retry.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.testkit.VirtualTime;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryListenerTest {

  private final List<String> events = new ArrayList<>();

  private final RetryListener recorder = new RetryListener() {
    @Override
    public void onAttemptStarted(AttemptStarted event) {
      events.add("start " + event.attempt());
    }

    @Override
    public void onRetryScheduled(RetryScheduled event) {
      events.add("retry " + event.attempt() + " in " + event.delay().toMillis() + "ms (" + event.delaySource() + ")");
    }

    @Override
    public void onSuccess(Succeeded event) {
      events.add("success after " + event.attempts() + ", waited " + event.totalWaited().toMillis() + "ms");
    }

    @Override
    public void onGiveUp(GaveUp event) {
      events.add("gave up: " + event.reason());
    }
  };

  private RetryPolicy<Object> policy(RetryListener... listeners) {
    var builder = RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(100)).jitter(Jitter.NONE)
        .retryLogLevel(Level.OFF).timeSource(new VirtualTime());
    for (RetryListener listener : listeners) {
      builder.listener(listener);
    }
    return builder.build();
  }

  @Test
  void eventsArriveInOrder() {
    AtomicInteger calls = new AtomicInteger();
    policy(recorder).get(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException();
      }
      return "ok";
    });
    assertThat(events).containsExactly(
        "start 1", "retry 1 in 100ms (backoff)", "start 2", "retry 2 in 200ms (backoff)", "start 3",
        "success after 3, waited 300ms");
  }

  @Test
  void successOnFirstAttemptStillReportsToListeners() {
    policy(recorder).get(() -> "ok");
    assertThat(events).containsExactly("start 1", "success after 1, waited 0ms");
  }

  @Test
  void aThrowingListenerCannotChangeTheOutcome() {
    RetryListener broken = new RetryListener() {
      @Override
      public void onRetryScheduled(RetryScheduled event) {
        throw new IllegalStateException("listener bug");
      }
    };
    AtomicInteger calls = new AtomicInteger();
    String result = policy(broken, recorder).get(() -> {
      if (calls.incrementAndGet() < 2) {
        throw new IllegalStateException();
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(events).contains("retry 1 in 100ms (backoff)");
  }

  @Test
  void retryLineReadsLikeTheRecipe() {
    RetryScheduled event = new RetryScheduled(1, Duration.ofMillis(1030), "retry-after-ms",
        new IllegalStateException("429 rate_limit_exceeded (req_abc)"), null);
    assertThat(LoggingRetryListener.describeRetry(event))
        .isEqualTo("attempt 1 failed: java.lang.IllegalStateException: 429 rate_limit_exceeded (req_abc); retrying in 1.03s (retry-after-ms)");
  }

  @Test
  void aListenerGivenToOneExecutionHearsThatExecutionAlone() {
    List<String> policyEvents = new ArrayList<>();
    RetryListener policyListener = new RetryListener() {
      @Override
      public void onSuccess(Succeeded event) {
        policyEvents.add("success " + event.attempts());
      }
    };
    RetryPolicy<Object> policy = policy(policyListener);
    AtomicInteger calls = new AtomicInteger();
    policy.execute(context -> {
      if (calls.incrementAndGet() < 2) {
        throw new IllegalStateException();
      }
      return "ok";
    }, recorder);
    policy.get(() -> "unobserved");

    assertThat(events).containsExactly("start 1", "retry 1 in 100ms (backoff)", "start 2", "success after 2, waited 100ms");
    assertThat(policyEvents).containsExactly("success 2", "success 1");
  }

  @Test
  void anAsynchronousExecutionTellsItsOwnListenerToo() {
    VirtualTime time = new VirtualTime();
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ofMillis(100))
        .jitter(Jitter.NONE).retryLogLevel(Level.OFF).timeSource(time).build();
    AtomicInteger calls = new AtomicInteger();
    var result = policy.executeAsync(context -> calls.incrementAndGet() == 1
        ? java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException())
        : java.util.concurrent.CompletableFuture.completedFuture("ok"), recorder);
    time.advance(Duration.ofMillis(100));

    assertThat(result).isCompletedWithValue("ok");
    assertThat(events).containsExactly("start 1", "retry 1 in 100ms (backoff)", "start 2", "success after 2, waited 100ms");
  }

  /** Records each attempt's outcome between the other events, as metrics see them. */
  private final RetryListener outcomes = new RetryListener() {
    @Override
    public void onAttemptStarted(AttemptStarted event) {
      events.add("start " + event.attempt());
    }

    @Override
    public void onAttemptFinished(dev.backoff4j.retry.AttemptRecord attempt) {
      events.add("finished " + attempt.attempt() + ": "
          + (attempt.failure() != null ? attempt.failure().getMessage() : "returned " + attempt.result())
          + (attempt.waitAfter() != null ? ", wait " + attempt.waitAfter().toMillis() + "ms" : ""));
    }

    @Override
    public void onRetryScheduled(RetryScheduled event) {
      events.add("retry " + event.attempt());
    }

    @Override
    public void onSuccess(Succeeded event) {
      events.add("success");
    }

    @Override
    public void onGiveUp(GaveUp event) {
      events.add("gave up: " + event.reason());
    }
  };

  @Test
  void eachAttemptsOutcomeIsReportedBeforeTheDecisionThatFollowsIt() {
    AtomicInteger calls = new AtomicInteger();
    policy(outcomes).get(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("failure " + calls.get());
      }
      return "ok";
    });
    assertThat(events).containsExactly(
        "start 1", "finished 1: failure 1, wait 100ms", "retry 1",
        "start 2", "finished 2: failure 2, wait 200ms", "retry 2",
        "start 3", "finished 3: returned ok", "success");
  }

  @Test
  void aFirstAttemptThatSucceedsIsReportedAsFinished() {
    policy(outcomes).get(() -> "ok");
    assertThat(events).containsExactly("start 1", "finished 1: returned ok", "success");
  }

  @Test
  void theLastAttemptOfAGiveUpIsReportedAsFinishedWithoutAWait() {
    RetryPolicy<Object> policy = policy(outcomes);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> policy.get(() -> {
      throw new IllegalStateException("down");
    })).hasMessage("down");
    assertThat(events).containsExactly(
        "start 1", "finished 1: down, wait 100ms", "retry 1",
        "start 2", "finished 2: down, wait 200ms", "retry 2",
        "start 3", "finished 3: down", "gave up: RETRIES_EXHAUSTED");
  }

  @Test
  void anAsynchronousExecutionReportsEachAttemptsOutcome() {
    VirtualTime time = new VirtualTime();
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ofMillis(100))
        .jitter(Jitter.NONE).retryLogLevel(Level.OFF).timeSource(time).build();
    AtomicInteger calls = new AtomicInteger();
    var result = policy.executeAsync(context -> calls.incrementAndGet() == 1
        ? java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("503"))
        : java.util.concurrent.CompletableFuture.completedFuture("ok"), outcomes);
    time.advance(Duration.ofMillis(100));

    assertThat(result).isCompletedWithValue("ok");
    assertThat(events).containsExactly(
        "start 1", "finished 1: 503, wait 100ms", "retry 1", "start 2", "finished 2: returned ok", "success");
  }
}
