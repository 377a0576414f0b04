package dev.backoff4j.time;

/** A task handed to {@link TimeSource#schedule}. */
@FunctionalInterface
public interface ScheduledTask {

  /** Prevents the task from running if it has not started. Idempotent; never blocks. */
  void cancel();
}
