package dev.backoff4j.bench.scenarios;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/** The scenario metrics, as pure functions of the recorded timelines (unit-tested on synthetic ones). */
final class Metrics {

  private static final double NANOS_PER_SECOND = 1e9;

  private Metrics() {}

  /** Wall time over the ideal time of {@code requests} at {@code limitPerSecond} (N ÷ limit). */
  static double completionRatio(long wallNanos, int requests, double limitPerSecond) {
    double ideal = requests / limitPerSecond;
    return wallNanos / NANOS_PER_SECOND / ideal;
  }

  /**
   * The {@code q} quantile (0..1) of {@code values}, nearest-rank: the smallest value with at least
   * {@code q} of the values at or below it. Empty input has none.
   */
  static OptionalDouble quantile(long[] values, double q) {
    if (values.length == 0) {
      return OptionalDouble.empty();
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return OptionalDouble.of(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
  }

  /**
   * Attempts the server saw during an outage over the requests the client began during it: how many
   * times each request started then was sent, on average, while the server was down.
   */
  static double amplification(long attemptsDuringOutage, long requestsStartedDuringOutage) {
    return requestsStartedDuringOutage == 0 ? Double.POSITIVE_INFINITY
        : (double) attemptsDuringOutage / requestsStartedDuringOutage;
  }

  /** How many of {@code times} fall in {@code [from, to)}. */
  static long countIn(long[] sortedTimes, long from, long to) {
    return lowerBound(sortedTimes, to) - lowerBound(sortedTimes, from);
  }

  /**
   * Time from {@code outageEndNanos} to the first window start {@code w ≥ outageEnd} (stepped by
   * {@code stepNanos}) such that the successes completed in {@code [w, w + windowNanos)} reach
   * {@code fraction} of {@code offeredPerSecond × window}: the client is completing requests at the
   * offered rate again. Empty if that never happens with the window inside {@code [outageEnd, endNanos]}.
   */
  static OptionalDouble recoverySeconds(long[] successEndNanos, long outageEndNanos, long endNanos,
      double offeredPerSecond, long windowNanos, long stepNanos, double fraction) {
    long[] sorted = successEndNanos.clone();
    Arrays.sort(sorted);
    double needed = fraction * offeredPerSecond * windowNanos / NANOS_PER_SECOND;
    for (long w = outageEndNanos; w + windowNanos <= endNanos; w += stepNanos) {
      if (countIn(sorted, w, w + windowNanos) >= needed) {
        return OptionalDouble.of((w - outageEndNanos) / NANOS_PER_SECOND);
      }
    }
    return OptionalDouble.empty();
  }

  /** Successful completions per second in consecutive bins of {@code binNanos} from 0 to {@code endNanos}. */
  static double[] throughputSeries(List<Outcome> outcomes, long binNanos, long endNanos) {
    int bins = (int) Math.max(1, (endNanos + binNanos - 1) / binNanos);
    double[] perSecond = new double[bins];
    double scale = NANOS_PER_SECOND / binNanos;
    for (Outcome o : outcomes) {
      if (o.ok() && o.finished() && o.endNanos() < (long) bins * binNanos) {
        perSecond[(int) (o.endNanos() / binNanos)] += scale;
      }
    }
    return perSecond;
  }

  private static int lowerBound(long[] sorted, long key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
