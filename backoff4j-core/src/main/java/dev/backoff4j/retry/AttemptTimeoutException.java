package dev.backoff4j.retry;

import dev.backoff4j.time.Durations;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The outcome of an asynchronous attempt that did not complete within its
 * {@link AttemptContext#attemptTimeout()}. Classified like any other failure (the default classifier
 * retries it).
 */
public final class AttemptTimeoutException extends TimeoutException {

  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  public AttemptTimeoutException(int attempt, Duration timeout) {
    super("attempt " + attempt + " timed out after " + Durations.format(timeout));
    this.timeout = timeout;
  }

  public Duration timeout() {
    return timeout;
  }
}
