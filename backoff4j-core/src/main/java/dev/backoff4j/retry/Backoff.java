package dev.backoff4j.retry;

import java.util.concurrent.ThreadLocalRandom;

/** Computes jittered exponential backoff in nanoseconds; see {@link Jitter} for each mode's range. */
final class Backoff {

  private Backoff() {}

  /**
   * @param retry 1 for the first retry
   * @param previousNanos the previous wait (decorrelated jitter grows from it); 0 before the first
   */
  static long delayNanos(
      Jitter jitter, long initialNanos, double multiplier, long maxNanos, int retry, long previousNanos) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (jitter == Jitter.DECORRELATED) {
      long low = initialNanos;
      double high = Math.max(low, 3.0 * Math.max(previousNanos, initialNanos));
      return (long) Math.min(maxNanos, low + random.nextDouble() * (high - low));
    }
    long base = exponential(initialNanos, multiplier, maxNanos, retry);
    switch (jitter) {
      case FULL:
        return (long) (random.nextDouble() * base);
      case EQUAL:
        long half = base / 2;
        return half + (long) (random.nextDouble() * (base - half));
      default:
        return base;
    }
  }

  /** {@code min(max, initial × multiplier^(retry-1))}, without overflow however large {@code retry} is. */
  static long exponential(long initialNanos, double multiplier, long maxNanos, int retry) {
    double value = initialNanos * Math.pow(multiplier, retry - 1);
    return value >= maxNanos ? maxNanos : (long) value;
  }
}
