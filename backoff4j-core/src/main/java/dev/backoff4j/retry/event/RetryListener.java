package dev.backoff4j.retry.event;

/**
 * Receives an execution's events, in order, on the thread that produced them. Logging, metrics and
 * progress displays are listeners. Every method has an empty default; override what you need.
 *
 * <p>Listeners must be fast and must not throw: an exception from a listener is caught and ignored so
 * that observing an execution can never change its outcome.
 */
public interface RetryListener {

  /** An attempt is about to run. */
  default void onAttemptStarted(AttemptStarted event) {}

  /** An attempt failed and another is scheduled after {@link RetryScheduled#delay()}. */
  default void onRetryScheduled(RetryScheduled event) {}

  /** An attempt succeeded; the execution is over. */
  default void onSuccess(Succeeded event) {}

  /** The execution ended without success. */
  default void onGiveUp(GaveUp event) {}
}
