package dev.backoff4j.retry;

import dev.backoff4j.time.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened in an execution that gave up: every attempt, how long was waited, and why it stopped.
 *
 * <p>When an execution gives up on a failure, the caller receives that failure itself (so
 * {@code catch (TheirException e)} keeps working) with this history attached; read it back with
 * {@link #of(Throwable)}.
 */
public final class RetryHistory {

  private final List<AttemptRecord> attempts;
  private final Duration totalWaited;
  private final Duration elapsed;
  private final GiveUpReason reason;
  private final Duration rejectedHint;

  public RetryHistory(
      List<AttemptRecord> attempts, Duration totalWaited, Duration elapsed, GiveUpReason reason, Duration rejectedHint) {
    this.attempts = List.copyOf(attempts);
    this.totalWaited = Objects.requireNonNull(totalWaited, "totalWaited");
    this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.rejectedHint = rejectedHint;
  }

  /**
   * The history attached to a failure that an execution gave up on, if any. Searches the failure's
   * suppressed exceptions (where the history travels) and then its causes.
   */
  public static Optional<RetryHistory> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      for (Throwable suppressed : t.getSuppressed()) {
        if (suppressed instanceof RetryGaveUp gaveUp) {
          return Optional.of(gaveUp.history());
        }
      }
      if (t instanceof RetryGaveUp gaveUp) {
        return Optional.of(gaveUp.history());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  /** Every attempt made, in order. */
  public List<AttemptRecord> attempts() {
    return attempts;
  }

  /** The number of attempts made. */
  public int attemptCount() {
    return attempts.size();
  }

  /** The sum of the waits between attempts. */
  public Duration totalWaited() {
    return totalWaited;
  }

  /** Time from the first attempt's start to giving up. */
  public Duration elapsed() {
    return elapsed;
  }

  public GiveUpReason reason() {
    return reason;
  }

  /**
   * The server-suggested delay that was refused (too large for {@code maxServerDelay}, or ending past
   * the deadline), if that is why the execution stopped.
   */
  public Optional<Duration> rejectedHint() {
    return Optional.ofNullable(rejectedHint);
  }

  /** The failures of all attempts that threw, in order. */
  public List<Throwable> failures() {
    return attempts.stream().map(AttemptRecord::failure).filter(Objects::nonNull).toList();
  }

  /** One line, e.g. "gave up after 3 attempts in 3.2s (retries exhausted), waited 3.0s". */
  @Override
  public String toString() {
    String text = "gave up after " + attempts.size() + (attempts.size() == 1 ? " attempt" : " attempts")
        + " in " + Durations.format(elapsed) + " (" + reason.description() + "), waited " + Durations.format(totalWaited);
    return rejectedHint == null ? text : text + "; server asked for " + Durations.format(rejectedHint);
  }
}
