package dev.backoff4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class VirtualTimeAsyncTest {

  /** The README's promise, run many times: a retry falls due inside advance and has run when it returns. */
  @RepeatedTest(100)
  void dueRetriesRunOnTheThreadCallingAdvance() {
    VirtualTime time = new VirtualTime();
    RetryPolicy<Object> policy = RetryPolicy.builder().timeSource(time).jitter(Jitter.NONE)
        .retryLogLevel(Level.OFF).build();
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<Thread> retriedOn = new AtomicReference<>();
    CompletableFuture<String> result = policy.getAsync(() -> {
      if (calls.incrementAndGet() == 1) {
        return CompletableFuture.failedFuture(new IllegalStateException("flaky"));
      }
      retriedOn.set(Thread.currentThread());
      return CompletableFuture.completedFuture("ok");
    });

    time.advance(Duration.ofSeconds(2));

    assertThat(result).isCompletedWithValue("ok");
    assertThat(retriedOn.get()).isSameAs(Thread.currentThread());
  }

  @Test
  void anExecutorChosenForThePolicyStillWins() {
    VirtualTime time = new VirtualTime();
    AtomicInteger handedOver = new AtomicInteger();
    RetryPolicy<Object> policy = RetryPolicy.builder().timeSource(time).jitter(Jitter.NONE).retryLogLevel(Level.OFF)
        .asyncExecutor(task -> {
          handedOver.incrementAndGet();
          task.run();
        })
        .build();
    AtomicInteger calls = new AtomicInteger();
    policy.getAsync(() -> calls.incrementAndGet() == 1
        ? CompletableFuture.failedFuture(new IllegalStateException())
        : CompletableFuture.completedFuture("ok"));
    time.advance(Duration.ofSeconds(2));
    assertThat(handedOver).hasValue(1);
  }
}
