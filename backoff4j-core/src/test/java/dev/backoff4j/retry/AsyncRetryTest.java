package dev.backoff4j.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.retry.event.GaveUp;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.testkit.VirtualTime;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AsyncRetryTest {

  private final VirtualTime time = new VirtualTime();
  private final List<GiveUpReason> gaveUp = new ArrayList<>();

  private RetryPolicyBuilder<Object> policy() {
    return RetryPolicy.builder()
        .maxAttempts(4)
        .initialDelay(Duration.ofSeconds(1))
        .jitter(Jitter.NONE)
        .retryLogLevel(Level.OFF)
        .timeSource(time)
        .asyncExecutor(Runnable::run)
        .listener(new RetryListener() {
          @Override
          public void onGiveUp(GaveUp event) {
            gaveUp.add(event.reason());
          }
        });
  }

  private static CompletableFuture<String> failingFuture(String message) {
    return CompletableFuture.failedFuture(new IllegalStateException(message));
  }

  @Test
  void waitsOnTheSchedulerNotOnAThread() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result = policy().build().getAsync(() ->
        calls.incrementAndGet() < 3 ? failingFuture("down") : CompletableFuture.completedFuture("ok"));

    assertThat(result).isNotDone();
    assertThat(calls).hasValue(1);
    time.advance(Duration.ofMillis(999));
    assertThat(calls).hasValue(1);
    time.advance(Duration.ofMillis(1));
    assertThat(calls).hasValue(2);
    time.advance(Duration.ofSeconds(2));
    assertThat(result).isCompletedWithValue("ok");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void givingUpCompletesWithTheLastFailureUnwrapped() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result = policy().build().getAsync(() -> failingFuture("failure " + calls.incrementAndGet()));
    time.runUntilIdle();

    assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
        .cause().isExactlyInstanceOf(IllegalStateException.class).hasMessage("failure 4")
        .satisfies(cause -> assertThat(RetryHistory.of(cause).orElseThrow().attemptCount()).isEqualTo(4));
    assertThat(gaveUp).containsExactly(GiveUpReason.RETRIES_EXHAUSTED);
  }

  @Test
  void attemptThatThrowsInsteadOfReturningAStageIsRetried() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result = policy().build().getAsync(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("thrown synchronously");
      }
      return CompletableFuture.completedFuture("ok");
    });
    time.runUntilIdle();
    assertThat(result).isCompletedWithValue("ok");
  }

  @Test
  void cancellingStopsAllFurtherAttempts() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result = policy().build().getAsync(() -> {
      calls.incrementAndGet();
      return failingFuture("down");
    });
    assertThat(time.pendingTasks()).isEqualTo(1);

    result.cancel(true);
    time.advance(Duration.ofMinutes(10));

    assertThat(calls).hasValue(1);
    assertThat(time.pendingTasks()).isZero();
    assertThat(gaveUp).containsExactly(GiveUpReason.CANCELLED);
  }

  @Test
  void cancellingCancelsTheAttemptInFlight() {
    CompletableFuture<String> inFlight = new CompletableFuture<>();
    CompletableFuture<String> result = policy().build().getAsync(() -> inFlight);

    result.cancel(true);

    assertThat(inFlight).isCancelled();
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void attemptOutlivingItsTimeoutIsCancelledAndRetried() {
    List<CompletableFuture<String>> attempts = new ArrayList<>();
    CompletableFuture<String> result = policy().attemptTimeout(Duration.ofSeconds(5)).build().getAsync(() -> {
      CompletableFuture<String> attempt = attempts.isEmpty() ? new CompletableFuture<>() : CompletableFuture.completedFuture("ok");
      attempts.add(attempt);
      return attempt;
    });

    time.advance(Duration.ofSeconds(5));
    assertThat(attempts.get(0)).isCancelled();
    time.advance(Duration.ofSeconds(1));

    assertThat(result).isCompletedWithValue("ok");
    assertThat(attempts).hasSize(2);
  }

  @Test
  void deadlineBoundsAHangingAttempt() {
    CompletableFuture<String> result = policy().maxElapsed(Duration.ofSeconds(3)).build()
        .getAsync(CompletableFuture::new);
    time.advance(Duration.ofSeconds(3));

    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::join).cause().isInstanceOf(AttemptTimeoutException.class);
    assertThat(gaveUp).containsExactly(GiveUpReason.DEADLINE_EXCEEDED);
  }

  @Test
  void decoratedAsyncFunctionRetries() {
    AtomicInteger calls = new AtomicInteger();
    Function<String, CompletableFuture<String>> echo = policy().build().decorateAsyncFunction(text ->
        calls.incrementAndGet() == 1 ? failingFuture("once") : CompletableFuture.completedFuture(text));
    CompletableFuture<String> result = echo.apply("hi");
    time.runUntilIdle();
    assertThat(result).isCompletedWithValue("hi");
  }

  @Test
  void thousandConcurrentExecutionsNeedOnlyAFewThreads() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int before = threads.getThreadCount();
    threads.resetPeakThreadCount();
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(1))
        .jitter(Jitter.FULL).retryLogLevel(Level.OFF).build();
    AtomicInteger attempts = new AtomicInteger();

    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      AtomicInteger calls = new AtomicInteger();
      int id = i;
      results.add(policy.getAsync(() -> {
        attempts.incrementAndGet();
        return calls.incrementAndGet() < 3
            ? CompletableFuture.failedFuture(new IllegalStateException("flaky"))
            : CompletableFuture.completedFuture(id);
      }));
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    assertThat(results).allSatisfy(result -> assertThat(result).isCompleted());
    assertThat(results.get(999).join()).isEqualTo(999);
    assertThat(attempts).hasValue(3_000);
    // one scheduler thread plus the common pool's workers (at most the core count), not 1,000 sleepers
    assertThat(threads.getPeakThreadCount() - before).isLessThanOrEqualTo(2 + Runtime.getRuntime().availableProcessors());
  }
}
