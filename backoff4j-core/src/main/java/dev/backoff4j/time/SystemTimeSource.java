package dev.backoff4j.time;

import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The JVM's clocks. Scheduling uses one daemon thread, started only when something is scheduled. */
final class SystemTimeSource implements TimeSource {

  static final SystemTimeSource INSTANCE = new SystemTimeSource();

  private SystemTimeSource() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void sleep(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  @Override
  public ScheduledTask schedule(long delayNanos, Runnable task) {
    var future = Scheduler.EXECUTOR.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public String toString() {
    return "TimeSource.system()";
  }

  /** Holder idiom: the thread exists only once a retry is scheduled asynchronously. */
  private static final class Scheduler {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      var executor = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "backoff4j-scheduler");
        thread.setDaemon(true);
        return thread;
      });
      // Cancelled retries must not pile up in the queue until their original due time.
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
