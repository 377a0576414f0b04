package dev.backoff4j.openai.errors;

import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;

/**
 * The base of every failure the OpenAI client reports. Messages are one readable line and never
 * contain an API key or a prompt; {@link #toString()} is the message alone, so retry logs read
 * {@code attempt 1 failed: 429 rate_limit_exceeded (req_abc): Rate limit reached ...}.
 *
 * <p>When the retry policy gave up, the {@link dev.backoff4j.retry.RetryHistory} is attached: read it
 * with {@code RetryHistory.of(exception)}.
 */
public abstract class OpenAiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  protected OpenAiException(String message, Throwable cause) {
    super(OneLine.of(message), cause);
  }

  /**
   * A few words naming the failure without the server's prose, for compact logs: {@code 429
   * rate_limit_exceeded (req_abc)}, {@code connection failed}, {@code timed out after 30s}.
   */
  public abstract String summary();

  /**
   * The one-line message; when the retry budget stopped the retries, it says so, since the failure
   * alone would not explain why a retryable error was not retried.
   */
  @Override
  public String getMessage() {
    String message = super.getMessage();
    return RetryHistory.of(this)
        .filter(history -> history.reason() == GiveUpReason.BUDGET_EXHAUSTED)
        .map(history -> message + " [not retried: " + history + "]")
        .orElse(message);
  }

  @Override
  public String toString() {
    return getMessage();
  }
}
