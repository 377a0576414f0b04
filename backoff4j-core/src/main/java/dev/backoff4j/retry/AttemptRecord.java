package dev.backoff4j.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * One attempt of an execution, as history.
 *
 * @param attempt 1-based attempt number
 * @param startedAfter time from the execution's start to this attempt's start
 * @param duration how long the attempt itself ran
 * @param failure what it threw, or {@code null} if it returned
 * @param result what it returned, when it did (may be {@code null})
 * @param waitAfter the wait scheduled after it, or {@code null} if none followed
 */
public record AttemptRecord(
    int attempt, Duration startedAfter, Duration duration, Throwable failure, Object result, Duration waitAfter) {

  /** The failure, if the attempt threw. */
  public Optional<Throwable> failed() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    String outcome = failure != null ? "failed: " + failure : "returned: " + result;
    String wait = waitAfter != null ? ", then waited " + waitAfter : "";
    return "attempt " + attempt + " " + outcome + wait;
  }
}
