package dev.backoff4j.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.testkit.VirtualTime;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DeadlineAndInterruptTest {

  @Test
  void noWaitEverEndsPastTheDeadline() {
    for (Jitter jitter : Jitter.values()) {
      for (int run = 0; run < 200; run++) {
        VirtualTime time = new VirtualTime();
        Duration deadline = Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, 20_000));
        RetryPolicy<Object> policy = RetryPolicy.builder()
            .maxAttempts(Integer.MAX_VALUE)
            .initialDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofSeconds(5))
            .jitter(jitter)
            .maxElapsed(deadline)
            .retryLogLevel(Level.OFF)
            .timeSource(time)
            .build();
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> policy.execute(context -> {
          assertThat(time.elapsed()).as("attempt %d starts before the deadline", context.attempt()).isLessThan(deadline);
          attempts.incrementAndGet();
          time.advance(Duration.ofMillis(ThreadLocalRandom.current().nextLong(0, 50))); // the call itself
          throw new IllegalStateException("down");
        })).satisfies(failure ->
            assertThat(RetryHistory.of(failure).orElseThrow().reason()).isEqualTo(GiveUpReason.DEADLINE_EXCEEDED));
        assertThat(time.elapsed()).as("%s run %d", jitter, run).isLessThanOrEqualTo(deadline.plusMillis(50));
        assertThat(attempts.get()).isPositive();
      }
    }
  }

  @Test
  void backoffThatWouldCrossTheDeadlineGivesUpWithoutWaiting() {
    VirtualTime time = new VirtualTime();
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(10).initialDelay(Duration.ofSeconds(4))
        .maxDelay(Duration.ofSeconds(60)).jitter(Jitter.NONE).maxElapsed(Duration.ofSeconds(10))
        .retryLogLevel(Level.OFF).timeSource(time).build();

    assertThatThrownBy(() -> policy.run(() -> { throw new IllegalStateException(); }));

    // waits 4 s, then 8 s would end at 12 s > 10 s: stop after the second attempt, at 4 s.
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(4));
    assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void interruptDuringTheWaitStopsRestoresTheFlagAndThrows() {
    VirtualTime time = new VirtualTime();
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(5).retryLogLevel(Level.OFF).timeSource(time).build();
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException failure = new IllegalStateException("503");
    try {
      assertThatThrownBy(() -> policy.run(() -> {
        calls.incrementAndGet();
        Thread.currentThread().interrupt(); // as if interrupted right after the attempt
        throw failure;
      }))
          .isInstanceOf(RetryInterruptedException.class)
          .hasCause(failure)
          .satisfies(e -> assertThat(((RetryInterruptedException) e).history().reason()).isEqualTo(GiveUpReason.INTERRUPTED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(calls).hasValue(1);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void interruptWakesARealSleepPromptly() throws Exception {
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(5).initialDelay(Duration.ofSeconds(30))
        .maxDelay(Duration.ofSeconds(30)).jitter(Jitter.NONE).retryLogLevel(Level.OFF).build();
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    Thread worker = new Thread(() -> {
      try {
        policy.run(() -> {
          calls.incrementAndGet();
          throw new IllegalStateException("down");
        });
      } catch (Throwable t) {
        thrown.set(t);
        flagAfter.set(Thread.currentThread().isInterrupted());
      }
    });
    worker.start();
    while (calls.get() == 0) {
      Thread.onSpinWait();
    }
    long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (worker.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < giveUpAt) {
      Thread.onSpinWait(); // until it is inside the 30 s sleep, so the interrupt wakes a sleep
    }
    assertThat(worker.getState()).isEqualTo(Thread.State.TIMED_WAITING);
    worker.interrupt();
    worker.join(TimeUnit.SECONDS.toMillis(10)); // a bound against hanging, not a timing assertion

    assertThat(worker.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(RetryInterruptedException.class);
    assertThat(flagAfter.get()).isTrue();
    assertThat(calls).hasValue(1);
  }
}
