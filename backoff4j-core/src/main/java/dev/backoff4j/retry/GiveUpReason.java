package dev.backoff4j.retry;

/** Why an execution ended without success. */
public enum GiveUpReason {
  /** The classifier said the outcome is final (a 401, a quota error, ...). */
  NOT_RETRYABLE("not retryable"),
  /** Every allowed attempt was made. */
  RETRIES_EXHAUSTED("retries exhausted"),
  /** The next wait would end at or past the {@code maxElapsed} deadline. */
  DEADLINE_EXCEEDED("deadline would be exceeded"),
  /** The server asked for a wait longer than {@code maxServerDelay}. */
  HINT_EXCEEDS_CAP("server-suggested delay exceeds cap"),
  /** The shared {@link dev.backoff4j.budget.RetryBudget} had no retry left. */
  BUDGET_EXHAUSTED("retry budget exhausted"),
  /** The waiting thread was interrupted. */
  INTERRUPTED("interrupted"),
  /** The asynchronous execution's future was cancelled. */
  CANCELLED("cancelled");

  private final String description;

  GiveUpReason(String description) {
    this.description = description;
  }

  /** A few words for logs, e.g. "retries exhausted". */
  public String description() {
    return description;
  }
}
