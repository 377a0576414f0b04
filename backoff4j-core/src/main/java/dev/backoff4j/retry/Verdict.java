package dev.backoff4j.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link RetryClassifier} decided about one attempt's outcome: it succeeded, it may be retried
 * (optionally not before a server-suggested delay), or it must not be retried.
 */
public final class Verdict {

  /** The three possible decisions. */
  public enum Kind { SUCCESS, RETRY, STOP }

  /** The outcome is what the caller wanted. */
  public static final Verdict SUCCESS = new Verdict(Kind.SUCCESS, null, null, null, false);

  /** The outcome is a transient failure; wait the computed backoff and try again. */
  public static final Verdict RETRY = new Verdict(Kind.RETRY, null, null, null, false);

  /** The outcome is a failure that another attempt will not fix. */
  public static final Verdict STOP = new Verdict(Kind.STOP, null, null, null, false);

  private static final Verdict RATE_LIMITED = new Verdict(Kind.RETRY, null, null, null, true);

  private final Kind kind;
  private final Duration hint;
  private final String hintSource;
  private final String reason;
  private final boolean rateLimited;

  private Verdict(Kind kind, Duration hint, String hintSource, String reason, boolean rateLimited) {
    this.kind = kind;
    this.hint = hint;
    this.hintSource = hintSource;
    this.reason = reason;
    this.rateLimited = rateLimited;
  }

  /**
   * Retry, waiting what the server asked for instead of the computed backoff.
   *
   * @param hint the server's suggested delay; {@code null}, zero or negative means "no usable hint"
   *     and the computed backoff applies (never an exception: servers send odd values)
   * @param source where the hint came from, for events and logs, e.g. {@code "retry-after-ms"}
   */
  public static Verdict retryAfter(Duration hint, String source) {
    Objects.requireNonNull(source, "source");
    return usable(hint) ? new Verdict(Kind.RETRY, hint, source, null, false) : RETRY;
  }

  /**
   * Retry an outcome that means "too many requests right now" from a server that is otherwise
   * healthy, after its hint if usable (as {@link #retryAfter}). Such a retry does not spend the
   * {@link dev.backoff4j.budget.RetryBudget}: the budget exists so that a failing server is not
   * buried under retries, while a rate limiter is working as intended and its hint already spaces
   * the retries. Every other limit (attempts, deadline, hint cap) still applies.
   */
  public static Verdict rateLimited(Duration hint, String source) {
    Objects.requireNonNull(source, "source");
    return usable(hint) ? new Verdict(Kind.RETRY, hint, source, null, true) : RATE_LIMITED;
  }

  /** Servers send odd values; only a positive hint means anything. */
  private static boolean usable(Duration hint) {
    return hint != null && !hint.isNegative() && !hint.isZero();
  }

  /** Stop, with a short reason for events and logs (e.g. {@code "insufficient_quota"}). */
  public static Verdict stop(String reason) {
    return new Verdict(Kind.STOP, null, null, Objects.requireNonNull(reason, "reason"), false);
  }

  public Kind kind() {
    return kind;
  }

  /** The server-suggested delay, present only on a {@link Kind#RETRY} verdict with a positive hint. */
  public Optional<Duration> hint() {
    return Optional.ofNullable(hint);
  }

  /** Where {@link #hint()} came from, e.g. {@code "Retry-After"}; empty without a hint. */
  public Optional<String> hintSource() {
    return Optional.ofNullable(hintSource);
  }

  /** Whether this is a {@link #rateLimited} retry, which the retry budget does not charge. */
  public boolean isRateLimited() {
    return rateLimited;
  }

  /** Why the classifier stopped, if it said. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(rateLimited ? "RETRY (rate limited)" : kind.name());
    if (hint != null) {
      text.append(" after ").append(hint).append(" (").append(hintSource).append(')');
    }
    if (reason != null) {
      text.append(": ").append(reason);
    }
    return text.toString();
  }
}
