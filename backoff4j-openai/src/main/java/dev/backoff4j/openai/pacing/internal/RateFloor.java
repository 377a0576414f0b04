package dev.backoff4j.openai.pacing.internal;

/**
 * The highest refill rate a server's headers prove, for sharing with a fleet. A response says the
 * bucket holds {@code remaining} (a whole count, rounded down) of {@code limit} and is full again
 * after {@code reset} (rounded to the header's unit): so the true deficit exceeds
 * {@code limit - remaining - 1}, and the rate exceeds {@code (limit - remaining - 1) / (reset +
 * rounding)}. The largest such bound over all responses approaches the true rate from below, even
 * when every deficit is small — unlike one deficit divided by its reset, which for a deficit of one
 * may be tens of per cent high. A new limit starts over. Not thread-safe; its {@link Lane} locks.
 */
final class RateFloor {

  private long limit = -1;
  private double perNano;

  /** Learns from one response's values for one bucket (each negative when absent). */
  void observe(long limit, long remaining, long resetNanos) {
    if (limit <= 0 || remaining < 0 || resetNanos <= 0) {
      return;
    }
    if (limit != this.limit) {
      this.limit = limit;
      perNano = 0;
    }
    double surelyUsed = limit - remaining - 1;
    if (surelyUsed < 1) {
      return;
    }
    // "1s", "6m0s": whole seconds may be rounded by half a second; "250ms" by half a millisecond.
    long rounding = resetNanos >= 1_000_000_000L && resetNanos % 1_000_000_000L == 0 ? 500_000_000L : 500_000L;
    perNano = Math.max(perNano, surelyUsed / (resetNanos + rounding));
  }

  /** The proven rate per nanosecond; 0 before any response proved one. */
  double perNano() {
    return perNano;
  }
}
