package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The scenario metrics on synthetic timelines (no server, no threads). */
class MetricsTest {

  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  @Test
  void completionRatioIsWallTimeOverRequestsDividedByTheLimit() {
    // 2,000 requests at 200/s: ideal 10 s; 10.5 s of wall time is a ratio of 1.05.
    assertThat(Metrics.completionRatio(10_500 * MS, 2_000, 200)).isCloseTo(1.05, within(1e-9));
    assertThat(Metrics.completionRatio(5 * S, 2_000, 200)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void quantilesAreNearestRank() {
    long[] values = LongStream.rangeClosed(1, 100).toArray(); // 1..100, shuffled order must not matter
    long[] reversed = LongStream.rangeClosed(1, 100).map(v -> 101 - v).toArray();
    assertThat(Metrics.quantile(values, 0.50).getAsDouble()).isEqualTo(50);
    assertThat(Metrics.quantile(reversed, 0.99).getAsDouble()).isEqualTo(99);
    assertThat(Metrics.quantile(values, 1.0).getAsDouble()).isEqualTo(100);
    assertThat(Metrics.quantile(new long[] {7}, 0.99).getAsDouble()).isEqualTo(7);
    assertThat(Metrics.quantile(new long[0], 0.5)).isEmpty();
  }

  @Test
  void amplificationIsOutageAttemptsPerRequestBegunDuringTheOutage() {
    // 400 requests begun during the outage; the budget let 40 of them retry once: 440 attempts.
    assertThat(Metrics.amplification(440, 400)).isCloseTo(1.1, within(1e-9));
    // The recipe: 64 stuck workers, each sending attempts 1, 2 and 3 inside a 4 s outage.
    assertThat(Metrics.amplification(192, 64)).isEqualTo(3.0);
    assertThat(Metrics.amplification(5, 0)).isInfinite();
  }

  @Test
  void recoveryIsZeroWhenSuccessesResumeAtTheOfferedRateAsTheOutageEnds() {
    // Offered 100/s; successes every 10 ms from 7 s (the outage end) to 12 s.
    long[] successes = LongStream.range(0, 500).map(i -> 7 * S + i * 10 * MS).toArray();
    assertThat(Metrics.recoverySeconds(successes, 7 * S, 12 * S, 100, 500 * MS, 10 * MS, 0.9).getAsDouble())
        .isEqualTo(0.0);
  }

  @Test
  void recoveryIsTheDelayUntilAHalfSecondWindowReachesNinetyPercentOfTheOfferedRate() {
    // Nothing until 9 s (workers asleep in backoff), then 100/s: recovery 2 s after a 7 s outage end.
    long[] successes = LongStream.range(0, 300).map(i -> 9 * S + i * 10 * MS).toArray();
    assertThat(Metrics.recoverySeconds(successes, 7 * S, 12 * S, 100, 500 * MS, 10 * MS, 0.9).getAsDouble())
        .isCloseTo(2.0, within(0.05));
  }

  @Test
  void aTrickleBelowTheOfferedRateIsNotRecovery() {
    // 50/s after the outage against 100/s offered: 25 per window, never the 45 needed.
    long[] successes = LongStream.range(0, 250).map(i -> 7 * S + i * 20 * MS).toArray();
    assertThat(Metrics.recoverySeconds(successes, 7 * S, 12 * S, 100, 500 * MS, 10 * MS, 0.9)).isEmpty();
  }

  @Test
  void successesBeforeTheOutageEndDoNotCount() {
    long[] successes = LongStream.range(0, 400).map(i -> 3 * S + i * 10 * MS).toArray(); // 3 s..7 s
    assertThat(Metrics.recoverySeconds(successes, 7 * S, 12 * S, 100, 500 * MS, 10 * MS, 0.9)).isEmpty();
  }

  @Test
  void throughputSeriesCountsSuccessfulCompletionsPerSecondInBins() {
    List<Outcome> outcomes = List.of(
        new Outcome(0, 0, 100 * MS, true, null, null),
        new Outcome(0, 0, 400 * MS, true, null, null),
        new Outcome(0, 0, 450 * MS, false, "RateLimitException", "429"),
        new Outcome(0, 0, 700 * MS, true, null, null),
        new Outcome(0, 0, -1, false, "cut off", null));
    double[] series = Metrics.throughputSeries(outcomes, 500 * MS, 1 * S);
    assertThat(series).containsExactly(4.0, 2.0); // 2 successes in the first 0.5 s = 4/s; 1 in the second = 2/s
  }
}
