package dev.backoff4j.bench.scenarios;

import dev.backoff4j.redis.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kills a redis-server (SIGKILL, as a crash) at one moment of a run and starts it again, on the same
 * port and empty, at a later one; records when each happened, in seconds since {@code zeroNanos}.
 * The process is touched only from this object's own thread until {@link #await} returns.
 */
final class RedisDisruption implements AutoCloseable {

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(LoadRun.daemon("redis-disruption"));
  private final long zeroNanos;
  private final ScheduledFuture<Long> kill;
  private final ScheduledFuture<Long> restart;

  /**
   * @param zeroNanos the run's time zero on {@link System#nanoTime()}
   * @param killAt when to kill, after time zero
   * @param restartAt when to restart, after time zero; not before {@code killAt}
   */
  RedisDisruption(RedisServerProcess redis, long zeroNanos, Duration killAt, Duration restartAt) {
    if (restartAt.compareTo(killAt) < 0) {
      throw new IllegalArgumentException("restartAt (" + restartAt + ") must not be before killAt (" + killAt + ")");
    }
    this.zeroNanos = zeroNanos;
    this.kill = scheduler.schedule(() -> {
      redis.kill();
      return System.nanoTime() - zeroNanos;
    }, delay(killAt), TimeUnit.NANOSECONDS);
    this.restart = scheduler.schedule(() -> {
      redis.start();
      return System.nanoTime() - zeroNanos;
    }, delay(restartAt), TimeUnit.NANOSECONDS);
  }

  private long delay(Duration at) {
    return Math.max(0, at.toNanos() - (System.nanoTime() - zeroNanos));
  }

  /** Waits until both have happened; after this the caller may use the process again. */
  void await(Duration timeout) {
    get(kill, timeout);
    get(restart, timeout);
  }

  /** When Redis was killed (returned once, after the kill), seconds since time zero; empty if not yet. */
  OptionalDouble killedAtSeconds() {
    return seconds(kill);
  }

  /** When Redis answered PING again after its restart, seconds since time zero; empty if not yet. */
  OptionalDouble restartedAtSeconds() {
    return seconds(restart);
  }

  private static OptionalDouble seconds(ScheduledFuture<Long> step) {
    if (!step.isDone() || step.isCancelled()) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(step.get() / 1e9);
    } catch (ExecutionException | InterruptedException e) {
      return OptionalDouble.empty();
    }
  }

  private static void get(ScheduledFuture<Long> step, Duration timeout) {
    try {
      step.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the Redis kill or restart failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the Redis kill or restart did not happen within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Redis kill or restart", e);
    }
  }

  /** Cancels what has not happened yet. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
