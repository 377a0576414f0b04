package dev.backoff4j.retry;

/**
 * Thrown by a synchronous execution whose thread was interrupted while waiting to retry. The thread's
 * interrupt flag is set again before this is thrown. The cause is the last attempt's failure, if any.
 */
public final class RetryInterruptedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient RetryHistory history;

  public RetryInterruptedException(RetryHistory history, Throwable lastFailure) {
    super("interrupted while waiting to retry; " + history, lastFailure);
    this.history = history;
  }

  public RetryHistory history() {
    return history;
  }
}
