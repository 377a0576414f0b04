package dev.backoff4j.retry;

/**
 * How randomness spreads the computed backoff, so that clients failing together do not retry together.
 * With {@code base = min(maxDelay, initialDelay × multiplier^(retry-1))}:
 */
public enum Jitter {
  /** Exactly {@code base}. Only for tests and single clients: synchronised clients stay synchronised. */
  NONE,
  /** Uniform in {@code [0, base]}. The widest spread; AWS's recommendation for contended resources. */
  FULL,
  /** Uniform in {@code [base/2, base]}: never shorter than half the backoff. */
  EQUAL,
  /**
   * Uniform in {@code [initialDelay, 3 × previous delay]}, capped at {@code maxDelay} ("decorrelated
   * jitter"). Ignores {@code multiplier}: the growth comes from the factor 3.
   */
  DECORRELATED
}
