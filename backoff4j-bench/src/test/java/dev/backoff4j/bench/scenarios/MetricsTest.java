package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backoff4j.mock.RequestRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The scenario metrics on synthetic timelines (no server, no threads). */
class MetricsTest {

  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private static Outcome ok(long start, long end) {
    return new Outcome(start, start, end, true, null, null);
  }

  private static Outcome failed(long start, long end) {
    return new Outcome(start, start, end, false, "ServerErrorException", "503");
  }

  private static Outcome cutOff(long start) {
    return new Outcome(start, start, -1, false, LoadRun.CUT_OFF, null);
  }

  /** Offered at {@code arrival}, begun then, ended at {@code end}. */
  private static Outcome offered(long arrival, long end, boolean ok) {
    return new Outcome(arrival, arrival, end, ok, ok ? null : "ServerErrorException", null);
  }

  @Test
  void completionRatioIsTimeToTheLastSuccessOverTheSuccessesIdealTime() {
    // 2,000 successes at 200/s: ideal 10 s; the last success at 10.5 s is a ratio of 1.05.
    assertThat(Metrics.completionRatio(OptionalLong.of(10_500 * MS), 2_000, 200).getAsDouble())
        .isCloseTo(1.05, within(1e-9));
  }

  @Test
  void failingFastCannotLookFasterThanTheLimit() {
    // The run of the unpaced client: 419 of 2,000 succeeded, the last at 5.78 s. Over N ÷ limit this was
    // 0.578 ("faster than the limit"); over the successes' own ideal time (2.095 s) it is 2.76.
    assertThat(Metrics.completionRatio(OptionalLong.of(5_780 * MS), 419, 200).getAsDouble())
        .isCloseTo(5.78 / (419 / 200.0), within(1e-9))
        .isGreaterThan(1);
    assertThat(Metrics.completionRatio(OptionalLong.empty(), 0, 200)).isEmpty();
  }

  @Test
  void lastSuccessIgnoresFailuresThatEndedLater() {
    List<Outcome> outcomes = List.of(ok(0, 2 * S), failed(0, 9 * S), cutOff(S));
    assertThat(Metrics.lastSuccessNanos(outcomes)).hasValue(2 * S);
    assertThat(Metrics.lastSuccessNanos(List.of(failed(0, S)))).isEmpty();
  }

  @Test
  void bestPossibleTimeSendsAFullBucketAtOnceAndTheRestAtTheRefillRate() {
    assertThat(Metrics.bestPossibleSeconds(2_000, 200, 200)).isEqualTo(9.0);
    assertThat(Metrics.bestPossibleSeconds(150, 200, 200)).isZero();
    // 2,000 successes, the last at 9.45 s: 1.05 × the best possible.
    assertThat(Metrics.ratioToBestPossible(OptionalLong.of(9_450 * MS), 2_000, 200, 200).getAsDouble())
        .isCloseTo(1.05, within(1e-9));
    // Only 1,100 succeeded by 9.45 s: their best possible is 4.5 s, so the ratio is 2.1, not 1.05.
    assertThat(Metrics.ratioToBestPossible(OptionalLong.of(9_450 * MS), 1_100, 200, 200).getAsDouble())
        .isCloseTo(2.1, within(1e-9));
    // Successes that fit in the bucket have no best possible time to compare with.
    assertThat(Metrics.ratioToBestPossible(OptionalLong.of(S), 150, 200, 200)).isEmpty();
  }

  @Test
  void quantilesAreNearestRank() {
    long[] values = LongStream.rangeClosed(1, 100).toArray();
    long[] reversed = LongStream.rangeClosed(1, 100).map(v -> 101 - v).toArray();
    assertThat(Metrics.quantile(values, 0.50).getAsDouble()).isEqualTo(50);
    assertThat(Metrics.quantile(reversed, 0.99).getAsDouble()).isEqualTo(99);
    assertThat(Metrics.quantile(values, 1.0).getAsDouble()).isEqualTo(100);
    assertThat(Metrics.quantile(new long[] {7}, 0.99).getAsDouble()).isEqualTo(7);
    assertThat(Metrics.quantile(new long[0], 0.5)).isEmpty();
  }

  @Test
  void failedAndCutOffCallsCountAtTheDeadlineOrLaterNeverEarlier() {
    long deadline = 10 * S;
    List<Outcome> outcomes = List.of(
        ok(0, 100 * MS),               // a success counts as it took: 100 ms
        failed(S, S + MS),             // gave up after 1 ms: counts as the deadline
        failed(0, 12 * S),             // failed after 12 s: counts as 12 s
        cutOff(S),                     // still running at a 3 s cut-off: the deadline
        cutOff(S),                     // ... at a 20 s cut-off it had run 19 s
        new Outcome(-1, -1, -1, false, "not started", null));
    assertThat(Metrics.chargedDurations(outcomes, deadline, 3 * S))
        .containsExactly(100 * MS, deadline, 12 * S, deadline, deadline, deadline);
    assertThat(Metrics.chargedDurations(outcomes.subList(4, 5), deadline, 20 * S)).containsExactly(19 * S);
  }

  @Test
  void droppingSlowCallsDoesNotImproveP99() {
    // 98 calls of 50 ms and 2 slow ones of 1 s: p99 is 1 s.
    List<Outcome> slow = new ArrayList<>();
    List<Outcome> dropped = new ArrayList<>();
    for (int i = 0; i < 98; i++) {
      slow.add(ok(0, 50 * MS));
      dropped.add(ok(0, 50 * MS));
    }
    for (int i = 0; i < 2; i++) {
      slow.add(ok(0, S));
      dropped.add(failed(0, MS)); // a client that fails its slow calls fast instead
    }
    long deadline = 10 * S;
    assertThat(Metrics.quantile(Metrics.chargedDurations(slow, deadline, 20 * S), 0.99).getAsDouble())
        .isEqualTo(S);
    // Counting successes only, dropping them would "improve" p99 to 50 ms; charged, it is 10 s.
    assertThat(Metrics.quantile(Metrics.successDurations(dropped), 0.99).getAsDouble()).isEqualTo(50 * MS);
    assertThat(Metrics.quantile(Metrics.chargedDurations(dropped, deadline, 20 * S), 0.99).getAsDouble())
        .isEqualTo(deadline);
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
  void recoveryIsZeroWhenRequestsAreServedOnTimeAsSoonAsTheOutageEnds() {
    // Offered 100/s; from 7 s (the outage end) every request succeeds 5 ms after it arrives.
    List<Outcome> outcomes = new ArrayList<>();
    for (long t = 7 * S; t < 12 * S; t += 10 * MS) {
      outcomes.add(offered(t, t + 5 * MS, true));
    }
    assertThat(Metrics.recoverySeconds(outcomes, 7 * S, 250 * MS).getAsDouble()).isEqualTo(0.0);
  }

  @Test
  void drainingTheOutageBacklogIsNotRecovery() {
    // 300 requests queued during the outage (3 s..7 s); from 7 s one worker serves the queue in order,
    // 5 ms each, i.e. 200 completions per second - twice the offered rate, so a count of completions
    // per window would call this recovered at once. But new arrivals wait behind the backlog: the one
    // offered at 7 s + 10 ms × j ends at 8.505 s + 5 ms × j, on time (≤ 250 ms) only from j = 251.
    List<Outcome> outcomes = new ArrayList<>();
    long free = 7 * S; // when the worker is next free
    for (int i = 0; i < 300; i++) {
      long arrival = 3 * S + i * 4_000_000_000L / 300;
      free += 5 * MS;
      outcomes.add(offered(arrival, free, true));
    }
    for (int j = 0; j < 500; j++) {
      long arrival = 7 * S + j * 10 * MS;
      free = Math.max(free, arrival) + 5 * MS; // caught up from j = 301 on
      outcomes.add(offered(arrival, free, true));
    }
    assertThat(Metrics.recoverySeconds(outcomes, 7 * S, 250 * MS).getAsDouble()).isCloseTo(2.51, within(1e-9));
  }

  @Test
  void aLateOrFailedRequestAfterTheOutagePushesRecoveryPastIt() {
    List<Outcome> outcomes = new ArrayList<>();
    for (long t = 7 * S; t < 12 * S; t += 10 * MS) {
      outcomes.add(offered(t, t + 5 * MS, true));
    }
    outcomes.set(150, offered(8_500 * MS, 9_000 * MS, true)); // 500 ms late
    assertThat(Metrics.recoverySeconds(outcomes, 7 * S, 250 * MS).getAsDouble()).isCloseTo(1.51, within(1e-9));
    outcomes.set(300, offered(10 * S, 10 * S + MS, false)); // failed
    assertThat(Metrics.recoverySeconds(outcomes, 7 * S, 250 * MS).getAsDouble()).isCloseTo(3.01, within(1e-9));
  }

  @Test
  void neverBackOnTimeWithinTheRunIsNoRecovery() {
    List<Outcome> outcomes = new ArrayList<>();
    for (long t = 7 * S; t < 12 * S; t += 10 * MS) {
      outcomes.add(offered(t, t + 5 * MS, true));
    }
    outcomes.add(new Outcome(12 * S, 12 * S, -1, false, LoadRun.CUT_OFF, null)); // the last one never finished
    assertThat(Metrics.recoverySeconds(outcomes, 7 * S, 250 * MS)).isEmpty();
    // Nothing offered after the outage: nothing to measure.
    assertThat(Metrics.recoverySeconds(List.of(offered(S, 2 * S, true)), 7 * S, 250 * MS)).isEmpty();
  }

  @Test
  void deadlineEndsSortFailuresIntoEarlyAtTheDeadlineAndLate() {
    long deadline = 2 * S;
    List<Outcome> outcomes = List.of(
        failed(0, deadline - MS),          // gave up 1 ms early
        failed(S, S + deadline),           // exactly at it
        failed(0, deadline + 100 * MS),    // at the tolerance: still at the deadline
        failed(0, deadline + 101 * MS),    // late
        cutOff(0),                         // never ended: late
        ok(0, 500 * MS));                  // succeeded (the endpoint was up after all)
    Metrics.DeadlineEnds ends = Metrics.DeadlineEnds.of(outcomes, deadline, 100 * MS);
    assertThat(ends.early()).isEqualTo(1);
    assertThat(ends.atDeadline()).isEqualTo(2);
    assertThat(ends.late()).isEqualTo(2);
    assertThat(ends.succeeded()).isEqualTo(1);
    assertThat(ends.minOverNanos()).hasValue(-MS);
    assertThat(ends.maxOverNanos()).hasValue(101 * MS);
    assertThat(Metrics.DeadlineEnds.of(List.of(ok(0, S)), deadline, 100 * MS).minOverNanos()).isEmpty();
  }

  @Test
  void rateLimitedInTheFirstSecondCountsFromTheFirstRequestTheServerSaw() {
    long t0 = 5 * S; // the server had been up for 5 s when the run began
    List<RequestRecord> requests = List.of(
        record(t0, 200),
        record(t0 + 200 * MS, 429),
        record(t0 + 999 * MS, 429),
        record(t0 + 500 * MS, 200),
        record(t0 + S, 429),          // the second second
        record(t0 + 3 * S, 429));
    assertThat(Metrics.countInFirst(requests, S, 429)).isEqualTo(2);
    assertThat(Metrics.countInFirst(List.of(), S, 429)).isZero();
  }

  private static RequestRecord record(long sinceStart, int status) {
    return new RequestRecord(0, sinceStart, "POST", "/v1/chat/completions", status,
        status == 429 ? "rate-limited" : "none", "req");
  }

  @Test
  void throughputSeriesCountsSuccessfulCompletionsPerSecondInBins() {
    List<Outcome> outcomes = List.of(
        ok(0, 100 * MS),
        ok(0, 400 * MS),
        failed(0, 450 * MS),
        ok(0, 700 * MS),
        cutOff(0));
    double[] series = Metrics.throughputSeries(outcomes, 500 * MS, 1 * S);
    assertThat(series).containsExactly(4.0, 2.0); // 2 successes in the first 0.5 s = 4/s; 1 in the second = 2/s
  }
}
