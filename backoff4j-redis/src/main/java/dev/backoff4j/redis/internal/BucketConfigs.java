package dev.backoff4j.redis.internal;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/** Between our {@link BucketLimit} and Bucket4j's configuration: one greedy bandwidth per bucket. */
final class BucketConfigs {

  private BucketConfigs() {}

  /** Starts full, refills {@code capacity} per {@code refillPeriod} continuously ("greedy"). */
  static BucketConfiguration of(BucketLimit limit) {
    return of(limit, false);
  }

  /** As {@link #of(BucketLimit)}, starting empty when {@code startEmpty}. */
  static BucketConfiguration of(BucketLimit limit, boolean startEmpty) {
    return BucketConfiguration.builder()
        .addLimit(Bandwidth.builder()
            .capacity(limit.capacity())
            .refillGreedy(limit.capacity(), limit.refillPeriod())
            .initialTokens(startEmpty ? 0 : limit.capacity())
            .build())
        .build();
  }

  /** The limit a stored configuration describes (as written by {@link #of}, or by any process). */
  static BucketLimit limitOf(BucketConfiguration configuration) {
    Bandwidth bandwidth = configuration.getBandwidths()[0];
    long capacity = bandwidth.getCapacity();
    // Time for a full refill, whatever refill amount the writer chose.
    double fullRefillNanos = (double) bandwidth.getRefillPeriodNanos() * capacity / bandwidth.getRefillTokens();
    return BucketLimit.of(capacity, Duration.ofNanos(Math.max(1, Math.round(fullRefillNanos))));
  }
}
