package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A child process's report: its JSON line, and several put on one timeline. */
class ChildReportTest {

  private static final long MS = 1_000_000L;

  @Test
  void roundTripsThroughItsJsonLine() {
    ChildReport report = new ChildReport(1_700_000_000_000_000L, 12, 90, 3_000 * MS, false, List.of(
        new Outcome(0, 0, 5 * MS, true, null, null),
        new Outcome(MS, MS, 9 * MS, false, "RateLimitException", "429 rate_limit_exceeded")));
    String json = report.toJson();
    assertThat(json).doesNotContain("\n");
    assertThat(ChildReport.fromJson(json)).isEqualTo(report);
  }

  @Test
  void mergeMovesEachProcessByHowMuchLaterItWasToldToGo() {
    ChildReport first = new ChildReport(1_000_000, 10, 20, 50 * MS, false,
        List.of(new Outcome(0, 0, 10 * MS, true, null, null)));
    // Received "go" 3 ms (3,000 µs) later; one request still unfinished at its cut-off.
    ChildReport second = new ChildReport(1_003_000, 10, 20, 50 * MS, true, List.of(
        new Outcome(MS, MS, 4 * MS, true, null, null),
        new Outcome(2 * MS, 2 * MS, -1, false, LoadRun.CUT_OFF, null),
        new Outcome(-1, -1, -1, false, "not started", null)));
    assertThat(ChildReport.merge(List.of(second, first))).containsExactly(
        new Outcome(4 * MS, 4 * MS, 7 * MS, true, null, null),
        new Outcome(5 * MS, 5 * MS, -1, false, LoadRun.CUT_OFF, null),
        new Outcome(-1, -1, -1, false, "not started", null),
        new Outcome(0, 0, 10 * MS, true, null, null));
  }

  @Test
  void onlyTheLastFailureOfEachKindKeepsItsMessage() {
    LoadRun.Result run = new LoadRun.Result(0, List.of(
        new Outcome(0, 0, MS, false, "RateLimitException", "first"),
        new Outcome(0, 0, MS, false, "ServerErrorException", "only"),
        new Outcome(0, 0, MS, false, "RateLimitException", "last")), 2 * MS, false);
    assertThat(ChildReport.of(0, 1, 2, run).outcomes()).extracting(Outcome::message)
        .containsExactly(null, "only", "last");
  }

  @Test
  void aLineThatIsNotAReportIsRejected() {
    assertThatThrownBy(() -> ChildReport.fromJson("{\"nope\": 1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a child report");
  }
}
