package dev.backoff4j.retry.event;

import java.time.Duration;

/**
 * @param attempt the attempt that just failed (1-based)
 * @param delay the wait before the next attempt
 * @param delaySource {@code "backoff"} for a computed delay; else the server hint's source, such as
 *     {@code "retry-after-ms"}, with {@code "+backoff"} when a repeated rate limit waits longer than
 *     the hint; {@code "budget"} when the wait is for the retry budget
 * @param failure what the attempt threw, or {@code null} if a result is being retried
 * @param result the retried result, when {@code failure} is {@code null}
 */
public record RetryScheduled(int attempt, Duration delay, String delaySource, Throwable failure, Object result) {

  /** The {@link #delaySource()} of a computed (not server-suggested) delay. */
  public static final String BACKOFF = "backoff";

  /** The {@link #delaySource()} of a wait for the retry budget to pay for the retry. */
  public static final String BUDGET = "budget";
}
