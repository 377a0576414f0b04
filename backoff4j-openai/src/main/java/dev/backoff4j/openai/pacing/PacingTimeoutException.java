package dev.backoff4j.openai.pacing;

import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.time.Durations;
import java.time.Duration;

/**
 * The pacer would have held an attempt until (or past) the call's deadline, so it was not sent at all.
 * Waiting for the pacer does not count against the attempt's own timeout, only against the deadline.
 */
public class PacingTimeoutException extends OpenAiTimeoutException {

  private static final long serialVersionUID = 1L;

  private final Duration wait;

  public PacingTimeoutException(Duration wait, Duration timeLeft) {
    super(timeLeft, null);
    this.wait = wait;
  }

  /** How long pacing would have held the request. */
  public Duration pacingWait() {
    return wait;
  }

  @Override
  public String getMessage() {
    return "pacing would hold the request " + Durations.format(wait) + ", the call has "
        + Durations.format(timeout()) + " left before its deadline";
  }

  @Override
  public String summary() {
    return "paced past the deadline (" + Durations.format(wait) + ")";
  }
}
