package dev.backoff4j.retry.event;

import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.time.Durations;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * Logs one line per retry and one per give-up through {@link System.Logger} (logger name
 * {@code dev.backoff4j.retry}), in the spirit of the recipe's prints:
 * {@code attempt 1 failed: <failure>; retrying in 1.03s (retry-after-ms)}. Give-ups are logged one
 * level higher than retries (at least {@code WARNING}), except a cancellation: that is the caller's own
 * decision, logged at {@code DEBUG} so a thousand cancelled futures do not make a thousand warnings. Failures are rendered with their {@code toString()}; backoff4j's own
 * exceptions never put secrets there.
 */
public final class LoggingRetryListener implements RetryListener {

  private static final Logger LOGGER = System.getLogger("dev.backoff4j.retry");

  private final Level retryLevel;
  private final Level giveUpLevel;

  public LoggingRetryListener(Level retryLevel) {
    this.retryLevel = Objects.requireNonNull(retryLevel, "retryLevel");
    this.giveUpLevel = retryLevel.getSeverity() < Level.WARNING.getSeverity() ? Level.WARNING : retryLevel;
  }

  @Override
  public void onRetryScheduled(RetryScheduled event) {
    if (LOGGER.isLoggable(retryLevel)) {
      LOGGER.log(retryLevel, describeRetry(event));
    }
  }

  @Override
  public void onGiveUp(GaveUp event) {
    Level level = event.reason() == GiveUpReason.CANCELLED ? Level.DEBUG : giveUpLevel;
    if (LOGGER.isLoggable(level)) {
      Object last = event.failure() != null ? event.failure() : "result " + event.result();
      LOGGER.log(level, event.history() + "; last: " + last);
    }
  }

  /** The retry line without logger decoration, for reuse by other renderers. */
  public static String describeRetry(RetryScheduled event) {
    Object cause = event.failure() != null ? event.failure() : "result " + event.result();
    return "attempt " + event.attempt() + " failed: " + cause + "; retrying in "
        + Durations.format(event.delay()) + " (" + event.delaySource() + ")";
  }

  @Override
  public String toString() {
    return "LoggingRetryListener[" + retryLevel + "]";
  }
}
