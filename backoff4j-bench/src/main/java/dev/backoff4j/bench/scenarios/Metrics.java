package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.RequestRecord;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** The scenario metrics, as pure functions of the recorded timelines (unit-tested on synthetic ones). */
final class Metrics {

  private static final double NANOS_PER_SECOND = 1e9;

  private Metrics() {}

  /** When the last successful call returned (nanoseconds since the run's start); empty if none did. */
  static OptionalLong lastSuccessNanos(List<Outcome> outcomes) {
    return outcomes.stream().filter(Outcome::ok).mapToLong(Outcome::endNanos).max();
  }

  /**
   * Time to the last successful completion over the ideal time of the successful requests at the
   * limit ({@code succeeded ÷ limit}). Only successes count, so failing requests fast cannot make a
   * contender look faster than the limit. Empty when nothing succeeded.
   */
  static OptionalDouble completionRatio(OptionalLong lastSuccessNanos, long succeeded, double limitPerSecond) {
    if (lastSuccessNanos.isEmpty() || succeeded == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(lastSuccessNanos.getAsLong() / NANOS_PER_SECOND / (succeeded / limitPerSecond));
  }

  /**
   * The least time {@code requests} can take at {@code limitPerSecond} when the bucket starts full
   * with {@code bucket} requests: those go at once, the rest at the refill rate.
   */
  static double bestPossibleSeconds(long requests, long bucket, double limitPerSecond) {
    return Math.max(0, requests - bucket) / limitPerSecond;
  }

  /**
   * Time to the last successful completion over the best possible time of the successful requests
   * ({@link #bestPossibleSeconds}). Empty when nothing succeeded or the successes fit in the bucket
   * (the best possible time is then zero).
   */
  static OptionalDouble ratioToBestPossible(OptionalLong lastSuccessNanos, long succeeded, long bucket,
      double limitPerSecond) {
    double best = bestPossibleSeconds(succeeded, bucket, limitPerSecond);
    if (lastSuccessNanos.isEmpty() || best <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(lastSuccessNanos.getAsLong() / NANOS_PER_SECOND / best);
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
   * Every call's duration as the percentiles count it: a success by how long it took; a failed call
   * at its deadline, or later if it took longer; a call cut off (or never started) at the run's end,
   * but never less than the deadline. A call that gave up early therefore counts as slow, never as
   * fast: dropping a slow call cannot improve a percentile.
   *
   * @param runEndNanos when the run stopped waiting (its cut-off, or its end)
   */
  static long[] chargedDurations(List<Outcome> outcomes, long deadlineNanos, long runEndNanos) {
    long[] charged = new long[outcomes.size()];
    for (int i = 0; i < charged.length; i++) {
      Outcome o = outcomes.get(i);
      if (o.ok()) {
        charged[i] = o.durationNanos();
      } else if (o.finished()) {
        charged[i] = Math.max(deadlineNanos, o.durationNanos());
      } else {
        charged[i] = Math.max(deadlineNanos, o.startNanos() < 0 ? 0 : runEndNanos - o.startNanos());
      }
    }
    return charged;
  }

  /** The durations of the successful calls only (S3's percentiles before failures were charged). */
  static long[] successDurations(List<Outcome> outcomes) {
    return outcomes.stream().filter(Outcome::ok).mapToLong(Outcome::durationNanos).toArray();
  }

  /**
   * Attempts the server saw during an outage over the requests the client began during it: how many
   * times each request started then was sent, on average, while the server was down.
   */
  static double amplification(long attemptsDuringOutage, long requestsStartedDuringOutage) {
    return requestsStartedDuringOutage == 0 ? Double.POSITIVE_INFINITY
        : (double) attemptsDuringOutage / requestsStartedDuringOutage;
  }

  /** How many of {@code sortedTimes} fall in {@code [from, to)}. */
  static long countIn(long[] sortedTimes, long from, long to) {
    return lowerBound(sortedTimes, to) - lowerBound(sortedTimes, from);
  }

  /**
   * How long after {@code outageEndNanos} the client was back at the offered rate: the arrival time
   * of the earliest request offered at or after the outage end from which on <em>every</em> request
   * offered succeeded within {@code onTimeNanos} of being offered, minus the outage end. Being on time
   * from arrival (not from when a worker picked the request up) means the backlog built in the outage
   * no longer delays new work, and so that completions keep pace with arrivals.
   *
   * <p>Empty when no request arrived after the outage end or the last one offered was not served on
   * time (the client never got back within the run).
   */
  static OptionalDouble recoverySeconds(List<Outcome> outcomes, long outageEndNanos, long onTimeNanos) {
    List<Outcome> after = outcomes.stream().filter(o -> o.arrivalNanos() >= outageEndNanos)
        .sorted(Comparator.comparingLong(Outcome::arrivalNanos)).toList();
    Long recoveredAt = null;
    for (int i = after.size() - 1; i >= 0; i--) {
      Outcome o = after.get(i);
      if (!o.ok() || o.endNanos() - o.arrivalNanos() > onTimeNanos) {
        break;
      }
      recoveredAt = o.arrivalNanos();
    }
    return recoveredAt == null ? OptionalDouble.empty()
        : OptionalDouble.of((recoveredAt - outageEndNanos) / NANOS_PER_SECOND);
  }

  /**
   * How calls that should fail at their deadline ended (S2-long), by {@code duration − deadline}:
   * early (below 0), at the deadline (0 to {@code toleranceNanos}), late (above), or not failed at
   * all. A cut-off call counts as late; a success is counted apart.
   *
   * @param minOverNanos the least {@code duration − deadline} of the failed calls; empty if none failed
   * @param maxOverNanos the largest, likewise
   */
  record DeadlineEnds(long early, long atDeadline, long late, long succeeded, OptionalLong minOverNanos,
      OptionalLong maxOverNanos) {

    static DeadlineEnds of(List<Outcome> outcomes, long deadlineNanos, long toleranceNanos) {
      long early = 0;
      long at = 0;
      long late = 0;
      long ok = 0;
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (Outcome o : outcomes) {
        if (o.ok()) {
          ok++;
        } else if (!o.finished()) {
          late++;
        } else {
          long over = o.durationNanos() - deadlineNanos;
          min = Math.min(min, over);
          max = Math.max(max, over);
          if (over < 0) {
            early++;
          } else if (over <= toleranceNanos) {
            at++;
          } else {
            late++;
          }
        }
      }
      return new DeadlineEnds(early, at, late, ok, min == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(min),
          max == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(max));
    }
  }

  /**
   * How many requests the server answered with {@code status} among those that arrived within
   * {@code windowNanos} of the first request it saw (S1's "429s in the first second"), by the
   * server's own monotonic arrival times.
   */
  static long countInFirst(List<RequestRecord> requests, long windowNanos, int status) {
    long first = requests.stream().mapToLong(RequestRecord::sinceStartNanos).min().orElse(0);
    return requests.stream()
        .filter(r -> r.status() == status && r.sinceStartNanos() - first < windowNanos)
        .count();
  }

  /** Successful completions per second in consecutive bins of {@code binNanos} from 0 to {@code endNanos}. */
  static double[] throughputSeries(List<Outcome> outcomes, long binNanos, long endNanos) {
    int bins = (int) Math.max(1, (endNanos + binNanos - 1) / binNanos);
    double[] perSecond = new double[bins];
    double scale = NANOS_PER_SECOND / binNanos;
    for (Outcome o : outcomes) {
      if (o.ok() && o.finished() && o.endNanos() >= 0 && o.endNanos() < (long) bins * binNanos) {
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
