package dev.backoff4j.retry;

/**
 * Carries a {@link RetryHistory} as a suppressed exception of the failure the caller receives, so the
 * history shows in stack traces ("Suppressed: ... gave up after 5 attempts ...") and travels with the
 * original exception without wrapping it. Never thrown on its own. Read it via {@link RetryHistory#of}.
 */
public final class RetryGaveUp extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient RetryHistory history;

  RetryGaveUp(RetryHistory history) {
    super(history.toString(), null, false, false);
    this.history = history;
  }

  public RetryHistory history() {
    return history;
  }

  /**
   * Attaches {@code history} to {@code failure}, unless that exception disabled suppression or already
   * carries a history: code that throws one shared exception instance must not make it grow with every
   * execution that gives up on it (it keeps the first history).
   */
  public static <X extends Throwable> X attach(X failure, RetryHistory history) {
    for (Throwable suppressed : failure.getSuppressed()) {
      if (suppressed instanceof RetryGaveUp) {
        return failure;
      }
    }
    failure.addSuppressed(new RetryGaveUp(history));
    return failure;
  }
}
