package dev.backoff4j.mock;

import dev.backoff4j.openai.spi.GoDuration;
import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Delay added before every answer decided after the rate limiter (errors, faults and resets
 * included; {@code stall} never answers anyway). The delay is waited for on Netty's scheduler,
 * never by blocking a thread.
 *
 * @param min shortest delay
 * @param max longest delay; equal to {@code min} for a fixed delay
 * @param exponentialMean when positive, delays are drawn from an exponential distribution with this
 *     mean, clamped to [min, max]; zero means uniform between min and max
 */
public record Latency(Duration min, Duration max, Duration exponentialMean) {

  /** No delay. */
  public static final Latency NONE = fixed(Duration.ZERO);

  /** Validates ordering and signs. */
  public Latency {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(exponentialMean, "exponentialMean");
    if (min.isNegative() || exponentialMean.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("latency: max " + max + " is shorter than min " + min);
    }
  }

  /** Always exactly {@code delay}. */
  public static Latency fixed(Duration delay) {
    return new Latency(delay, delay, Duration.ZERO);
  }

  /** Uniformly distributed between {@code min} and {@code max}. */
  public static Latency uniform(Duration min, Duration max) {
    return new Latency(min, max, Duration.ZERO);
  }

  /** Exponentially distributed with {@code mean}, capped at {@code max} (the long tail of real APIs). */
  public static Latency exponential(Duration mean, Duration max) {
    return new Latency(Duration.ZERO, max, mean);
  }

  /**
   * Parses {@code 200ms} (fixed), {@code 100ms..300ms} (uniform) or {@code exp:200ms} (exponential
   * with that mean, capped at 20 times the mean).
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static Latency parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.trim();
    if (t.startsWith("exp:")) {
      Duration mean = GoDuration.require("latency", t.substring(4).trim());
      return exponential(mean, mean.multipliedBy(20));
    }
    int range = t.indexOf("..");
    if (range >= 0) {
      return uniform(
          GoDuration.require("latency", t.substring(0, range).trim()),
          GoDuration.require("latency", t.substring(range + 2).trim()));
    }
    return fixed(GoDuration.require("latency", t));
  }

  /** True when every delay is zero. */
  public boolean isZero() {
    return max.isZero();
  }

  /** Draws one delay in nanoseconds from {@code uniform}, a source of numbers in [0, 1). */
  public long sampleNanos(DoubleSupplier uniform) {
    long lo = min.toNanos();
    long hi = max.toNanos();
    if (lo == hi) {
      return lo;
    }
    if (!exponentialMean.isZero()) {
      double sample = -Math.log(1 - uniform.getAsDouble()) * exponentialMean.toNanos();
      return Math.max(lo, Math.min(hi, (long) sample));
    }
    return lo + (long) (uniform.getAsDouble() * (hi - lo));
  }

  /** The text {@link #parse(String)} accepts for this latency. */
  @Override
  public String toString() {
    if (!exponentialMean.isZero()) {
      return "exp:" + GoDuration.format(exponentialMean);
    }
    if (min.equals(max)) {
      return GoDuration.format(min);
    }
    return GoDuration.format(min) + ".." + GoDuration.format(max);
  }
}
