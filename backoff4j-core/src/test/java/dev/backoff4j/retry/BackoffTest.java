package dev.backoff4j.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.retry.Jitter;
import java.util.LongSummaryStatistics;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final long SECOND = 1_000_000_000L;
  private static final int SAMPLES = 20_000;

  private static LongSummaryStatistics sample(Jitter jitter, int retry, long previous) {
    return LongStream.range(0, SAMPLES)
        .map(i -> Backoff.delayNanos(jitter, SECOND, 2.0, 30 * SECOND, retry, previous))
        .summaryStatistics();
  }

  @Test
  void noJitterIsExactExponential() {
    assertThat(Backoff.delayNanos(Jitter.NONE, SECOND, 2.0, 30 * SECOND, 1, 0)).isEqualTo(SECOND);
    assertThat(Backoff.delayNanos(Jitter.NONE, SECOND, 2.0, 30 * SECOND, 2, 0)).isEqualTo(2 * SECOND);
    assertThat(Backoff.delayNanos(Jitter.NONE, SECOND, 2.0, 30 * SECOND, 4, 0)).isEqualTo(8 * SECOND);
  }

  @Test
  void maxDelayCapsTheExponentialWithoutOverflow() {
    assertThat(Backoff.delayNanos(Jitter.NONE, SECOND, 2.0, 30 * SECOND, 6, 0)).isEqualTo(30 * SECOND);
    assertThat(Backoff.delayNanos(Jitter.NONE, SECOND, 2.0, 30 * SECOND, 10_000, 0)).isEqualTo(30 * SECOND);
    assertThat(Backoff.delayNanos(Jitter.FULL, SECOND, 10.0, 30 * SECOND, Integer.MAX_VALUE, 0))
        .isBetween(0L, 30 * SECOND);
  }

  @Test
  void fullJitterSpansZeroToBase() {
    LongSummaryStatistics stats = sample(Jitter.FULL, 3, 0); // base 4 s
    assertThat(stats.getMin()).isGreaterThanOrEqualTo(0).isLessThan(SECOND / 10);
    assertThat(stats.getMax()).isLessThanOrEqualTo(4 * SECOND).isGreaterThan(4 * SECOND - SECOND / 10);
    assertThat(stats.getAverage()).isBetween(1.9 * SECOND, 2.1 * SECOND);
  }

  @Test
  void equalJitterSpansHalfBaseToBase() {
    LongSummaryStatistics stats = sample(Jitter.EQUAL, 3, 0); // base 4 s
    assertThat(stats.getMin()).isGreaterThanOrEqualTo(2 * SECOND).isLessThan(2 * SECOND + SECOND / 10);
    assertThat(stats.getMax()).isLessThanOrEqualTo(4 * SECOND).isGreaterThan(4 * SECOND - SECOND / 10);
    assertThat(stats.getAverage()).isBetween(2.9 * SECOND, 3.1 * SECOND);
  }

  @Test
  void decorrelatedJitterSpansInitialToThreeTimesPrevious() {
    LongSummaryStatistics stats = sample(Jitter.DECORRELATED, 5, 2 * SECOND);
    assertThat(stats.getMin()).isGreaterThanOrEqualTo(SECOND).isLessThan(SECOND + SECOND / 10);
    assertThat(stats.getMax()).isLessThanOrEqualTo(6 * SECOND).isGreaterThan(6 * SECOND - SECOND / 10);
    assertThat(stats.getAverage()).isBetween(3.4 * SECOND, 3.6 * SECOND);
  }

  @Test
  void decorrelatedJitterRespectsMaxDelay() {
    LongSummaryStatistics stats = sample(Jitter.DECORRELATED, 9, 25 * SECOND);
    assertThat(stats.getMax()).isEqualTo(30 * SECOND); // most of [1 s, 75 s] lies above the cap
    assertThat(stats.getMin()).isGreaterThanOrEqualTo(SECOND);
  }

  @Test
  void zeroInitialDelayMeansNoWait() {
    for (Jitter jitter : Jitter.values()) {
      assertThat(Backoff.delayNanos(jitter, 0, 2.0, 0, 3, 0)).as(jitter.name()).isZero();
    }
  }
}
