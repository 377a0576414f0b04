package dev.backoff4j.redis.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * One bucket's limit as the fleet shares it: {@code capacity} units, refilled continuously so that
 * an empty bucket is full again after {@code refillPeriod} (OpenAI's "500 requests per minute" is
 * {@code of(500, 1 min)}).
 */
public record BucketLimit(long capacity, Duration refillPeriod) {

  /** Providers limit per minute or per day; a year leaves room and keeps nanoseconds in a long. */
  public static final Duration MAX_REFILL_PERIOD = Duration.ofDays(366);

  /**
   * @throws IllegalArgumentException when {@code capacity < 1} or {@code refillPeriod} is not
   *     positive
   */
  public BucketLimit {
    if (capacity < 1) {
      throw new IllegalArgumentException("bucket limit 'capacity' must be >= 1, was " + capacity);
    }
    Objects.requireNonNull(refillPeriod, "refillPeriod");
    if (refillPeriod.isZero() || refillPeriod.isNegative() || refillPeriod.compareTo(MAX_REFILL_PERIOD) > 0) {
      throw new IllegalArgumentException(
          "bucket limit 'refillPeriod' must be > 0 and <= " + MAX_REFILL_PERIOD + ", was " + refillPeriod);
    }
  }

  public static BucketLimit of(long capacity, Duration refillPeriod) {
    return new BucketLimit(capacity, refillPeriod);
  }

  public static BucketLimit perMinute(long capacity) {
    return new BucketLimit(capacity, Duration.ofMinutes(1));
  }

  /** Units refilled per second. */
  public double perSecond() {
    return capacity * 1e9 / refillPeriod.toNanos();
  }

  /** Units refilled in {@code duration}, rounded up (a pause must cover at least that long). */
  long unitsRefilledIn(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return 0;
    }
    // In doubles: a pause from a hostile Retry-After may not fit in a long of nanoseconds.
    double nanos = duration.getSeconds() * 1e9 + duration.getNano();
    double units = Math.ceil(capacity * nanos / refillPeriod.toNanos());
    return units >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) units;
  }

  /**
   * True when {@code other} differs from this by more than {@code share} of this one, in capacity
   * or in refill rate: only such changes are worth a write every process of the fleet will feel.
   */
  boolean differsMaterially(BucketLimit other, double share) {
    return relativeChange(capacity, other.capacity) > share || relativeChange(perSecond(), other.perSecond()) > share;
  }

  /** True when {@code other} refills more than {@code share} faster or slower than this one. */
  boolean movesRate(BucketLimit other, double share) {
    return relativeChange(perSecond(), other.perSecond()) > share;
  }

  private static double relativeChange(double from, double to) {
    return Math.abs(to - from) / from;
  }

  @Override
  public String toString() {
    return capacity + " per " + refillPeriod;
  }
}
