package dev.backoff4j.openai.batch;

import dev.backoff4j.retry.event.RetryScheduled;

/**
 * Observes a batch run, for progress displays and logs. Called on the threads that complete requests;
 * must be fast and must not throw (exceptions are ignored). Every method has an empty default.
 */
public interface BatchListener {

  /** The input was read and the output resumed; nothing has been sent yet. */
  default void onStart(BatchProgress progress) {}

  /** A request failed and will be retried; {@code progress} already counts this retry. */
  default void onRetry(RetryScheduled event, BatchProgress progress) {}

  /** A request's line was written. */
  default void onResult(BatchResult result, BatchProgress progress) {}
}
