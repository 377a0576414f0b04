package dev.backoff4j.redis.internal;

import dev.backoff4j.time.TimeSource;
import io.github.bucket4j.TimeMeter;
import java.time.Instant;

/**
 * Bucket4j's clock over a {@link TimeSource}'s wall clock. It must be the wall clock: Bucket4j
 * refills a Redis bucket by the clock of whichever process touches it, and only wall clocks agree
 * across processes ({@link System#nanoTime()} has an arbitrary origin per JVM).
 */
final class WallClockMeter implements TimeMeter {

  private final TimeSource time;

  WallClockMeter(TimeSource time) {
    this.time = time;
  }

  @Override
  public long currentTimeNanos() {
    Instant now = time.now();
    return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
  }

  @Override
  public boolean isWallClockBased() {
    return true;
  }

  @Override
  public String toString() {
    return "WallClockMeter[" + time + "]";
  }
}
