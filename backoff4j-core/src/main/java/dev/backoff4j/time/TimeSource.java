package dev.backoff4j.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything backoff4j knows about time: a monotonic clock, a wall clock, a way to block and a way to
 * schedule. Passed in, never read from statics, so tests can replace it with
 * {@link dev.backoff4j.testkit.VirtualTime} and run minutes of backoff in microseconds.
 */
public interface TimeSource {

  /** Monotonic nanoseconds, as {@link System#nanoTime()}: only differences are meaningful. */
  long nanoTime();

  /** The wall clock, used only to interpret absolute times such as an HTTP-date {@code Retry-After}. */
  Instant now();

  /**
   * Blocks the calling thread for {@code nanos}. Returns at once for zero or negative values.
   *
   * @throws InterruptedException if the thread is interrupted before or while waiting
   */
  void sleep(long nanos) throws InterruptedException;

  /**
   * Runs {@code task} once after {@code delayNanos}, without blocking the caller. The task runs on a
   * thread owned by the time source and must not block.
   */
  ScheduledTask schedule(long delayNanos, Runnable task);

  /** The real clocks, with one shared daemon thread (created on first use) for scheduled tasks. */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }

  /**
   * Where asynchronous work continues after a wait when the caller chose no executor: the common
   * fork-join pool. {@link dev.backoff4j.testkit.VirtualTime} answers "the thread that moves time", so
   * that a test calling {@code advance} sees every due retry run before {@code advance} returns.
   */
  default Executor defaultExecutor() {
    return ForkJoinPool.commonPool();
  }

  /**
   * Blocks the calling thread until {@code future} is done (in any way) or {@code nanos} have passed,
   * whichever comes first: how a blocking caller waits for an event another party signals, such as
   * its turn at an outage gate. {@link dev.backoff4j.testkit.VirtualTime} runs due tasks on the calling
   * thread instead, moving time, until the future is done or the time is up.
   *
   * @return whether the future is done
   * @throws InterruptedException if the thread is interrupted before or while waiting
   */
  default boolean await(Future<?> future, long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (future.isDone()) {
      return true;
    }
    try {
      future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException | CancellationException e) {
      // done, which is all the caller asked
    }
    return true;
  }

  /** Convenience for {@link #sleep(long)} with a {@link Duration}. */
  default void sleep(Duration duration) throws InterruptedException {
    sleep(duration.toNanos());
  }
}
