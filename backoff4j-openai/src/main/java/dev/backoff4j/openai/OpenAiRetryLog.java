package dev.backoff4j.openai;

import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.retry.event.LoggingRetryListener;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.time.Durations;

/** Compact renderings of retry events for CLIs and progress displays. */
public final class OpenAiRetryLog {

  private OpenAiRetryLog() {}

  /**
   * {@code attempt 1 failed: 429 rate_limit_exceeded (req_abc); retrying in 1.03s (retry-after-ms)}:
   * status, code and request id without the server's prose. Other failures render as in
   * {@link LoggingRetryListener#describeRetry}.
   */
  public static String describeRetry(RetryScheduled event) {
    if (!(event.failure() instanceof OpenAiException failure)) {
      return LoggingRetryListener.describeRetry(event);
    }
    return "attempt " + event.attempt() + " failed: " + failure.summary() + "; retrying in "
        + Durations.format(event.delay()) + " (" + event.delaySource() + ")";
  }
}
