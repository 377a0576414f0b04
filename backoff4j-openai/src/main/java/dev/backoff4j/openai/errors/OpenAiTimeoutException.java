package dev.backoff4j.openai.errors;

import java.time.Duration;

/**
 * An attempt ran out of time: its per-attempt timeout or the time left before the overall deadline,
 * whichever was shorter. Retried while the deadline allows.
 */
public class OpenAiTimeoutException extends OpenAiException {

  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  public OpenAiTimeoutException(Duration timeout, Throwable cause) {
    this("request timed out after " + format(timeout), timeout, cause);
  }

  /**
   * A timeout whose message says more than the limit, e.g. {@code stream sent no data for 2s}.
   *
   * @param timeout the limit that was exceeded, or {@code null} if unknown
   */
  public OpenAiTimeoutException(String message, Duration timeout, Throwable cause) {
    super(message, cause);
    this.timeout = timeout;
  }

  /** The limit that was exceeded, or {@code null} if unknown. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String summary() {
    return "timed out" + (timeout == null ? "" : " after " + format(timeout));
  }

  static String format(Duration timeout) {
    return timeout == null ? "an unknown limit" : dev.backoff4j.time.Durations.format(timeout);
  }
}
