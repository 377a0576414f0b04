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
}
