package dev.backoff4j.openai.pacing;

import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.time.Durations;
import java.time.Duration;

/**
 * The pacer would have held an attempt at least as long as the time the attempt had left (its
 * timeout, or what remains before the retry deadline), so it was not sent at all. Like any timeout it
 * is retried while the deadline allows.
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
    return "pacing would hold the request " + Durations.format(wait) + ", the attempt has "
        + Durations.format(timeout()) + " left";
  }

  @Override
  public String summary() {
    return "paced past the attempt's time (" + Durations.format(wait) + ")";
  }
}
