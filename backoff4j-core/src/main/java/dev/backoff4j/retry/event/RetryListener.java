package dev.backoff4j.retry.event;

import dev.backoff4j.retry.AttemptRecord;

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

  /**
   * An attempt ended: what it returned or threw, how long it ran and, when a retry follows, the wait
   * before it. Reported before the decision that follows it ({@link #onRetryScheduled},
   * {@link #onSuccess} or {@link #onGiveUp}); metrics count attempts by outcome here. Not reported for
   * an attempt cut short by cancelling the execution, or for a wait interrupted between attempts.
   */
  default void onAttemptFinished(AttemptRecord attempt) {}

  /** An attempt failed and another is scheduled after {@link RetryScheduled#delay()}. */
  default void onRetryScheduled(RetryScheduled event) {}

  /** An attempt succeeded; the execution is over. */
  default void onSuccess(Succeeded event) {}

  /** The execution ended without success. */
  default void onGiveUp(GaveUp event) {}
}
