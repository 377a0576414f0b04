package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Targets on synthetic rows: success and cost must both hold. */
class TargetsTest {

  private static Row s1Paced(double ratio, double limitedPerRequest, double firstSecond, long failed) {
    return new Row("S1", Contenders.BACKOFF4J_PACED)
        .put("failed", failed)
        .put("ratio_to_best_possible", ratio)
        .put("rate_limited_per_request", limitedPerRequest)
        .put("rate_limited_first_second", firstSecond)
        .put("cut_off", false);
  }

  private static Targets.Verdict verdict(String scenario, String contender, List<Row> rows) {
    return Targets.evaluate(rows).stream()
        .filter(v -> v.target().scenario().equals(scenario) && v.target().contender().equals(contender))
        .findFirst().orElseThrow();
  }

  @Test
  void s1PacedIsMetOnlyWithinEveryBound() {
    Targets.Verdict met = verdict("S1", Contenders.BACKOFF4J_PACED, List.of(s1Paced(1.009, 0.0035, 0.0005, 0)));
    assertThat(met.status()).isEqualTo(Targets.Status.MET);
    assertThat(met.line()).isEqualTo("S1 `backoff4j-paced`: **met** — success: 0 failed (= 0: met); cost: "
        + "1.009 × best possible (≤ 1.05: met), 0.35 % 429s per request (≤ 1 %: met), 0.05 % of N as 429s in the "
        + "first second (≤ 0.1 %: met)");
    // 7 × 429 in the first second of a 2,000-request run is 0.35 % of N: over 0.1 %.
    assertThat(verdict("S1", Contenders.BACKOFF4J_PACED, List.of(s1Paced(1.009, 0.0035, 0.0035, 0))).status())
        .isEqualTo(Targets.Status.MISSED);
  }

  @Test
  void successCannotBeBoughtWithCostNorCostWithSuccess() {
    // Nothing failed, but it took 1.3 × the best possible time: missed.
    assertThat(verdict("S1", Contenders.BACKOFF4J_PACED, List.of(s1Paced(1.3, 0, 0, 0))).status())
        .isEqualTo(Targets.Status.MISSED);
    // As fast as possible, but 5 requests failed: missed.
    Targets.Verdict failing = verdict("S1", Contenders.BACKOFF4J_PACED, List.of(s1Paced(1.0, 0, 0, 5)));
    assertThat(failing.status()).isEqualTo(Targets.Status.MISSED);
    assertThat(failing.line()).contains("5 failed (= 0: missed)");
    // The outage: no failures but 3 attempts per request; or 1.07 but every request failed.
    Row amplifying = new Row("S2", Contenders.BACKOFF4J).put("failed", 0).put("amplification", 3.0)
        .put("recovery_s", 0.0);
    Row failingFast = new Row("S2", Contenders.BACKOFF4J).put("failed", 400).put("amplification", 1.07)
        .put("recovery_s", 0.0);
    assertThat(verdict("S2", Contenders.BACKOFF4J, List.of(amplifying)).status()).isEqualTo(Targets.Status.MISSED);
    assertThat(verdict("S2", Contenders.BACKOFF4J, List.of(failingFast)).status()).isEqualTo(Targets.Status.MISSED);
  }

  @Test
  void aMissingMeasurementIsAMissNotAPass() {
    Row neverRecovered = new Row("S2", Contenders.BACKOFF4J_PACED).put("failed", 0).put("amplification", 1.0)
        .put("recovery_s", (Object) null);
    Targets.Verdict v = verdict("S2", Contenders.BACKOFF4J_PACED, List.of(neverRecovered));
    assertThat(v.status()).isEqualTo(Targets.Status.MISSED);
    assertThat(v.line()).contains("recovery not measured (≤ 1 s: missed)");
  }

  @Test
  void s3ComparesP99WithTheBestPeerOnly() {
    List<Row> rows = List.of(
        new Row("S3", Contenders.RECIPE).put("p99_ms", 3130.0),
        new Row("S3", Contenders.OPENAI_JAVA).put("p99_ms", 632.0),
        new Row("S3", Contenders.BACKOFF4J).put("p99_ms", 500.0).put("success_rate", 1.0)
            .put("attempts_per_call", 1.12),
        new Row("S3", Contenders.BACKOFF4J_PACED).put("p99_ms", 700.0).put("success_rate", 1.0)
            .put("attempts_per_call", 1.12));
    assertThat(Targets.bestPeerP99(rows)).isEqualTo(632.0); // not backoff4j's own 500
    assertThat(verdict("S3", Contenders.BACKOFF4J, rows).status()).isEqualTo(Targets.Status.MET);
    Targets.Verdict paced = verdict("S3", Contenders.BACKOFF4J_PACED, rows);
    assertThat(paced.status()).isEqualTo(Targets.Status.MISSED);
    assertThat(paced.line()).contains("p99 700 ms (≤ the best peer's, 632 ms: missed)");
  }

  @Test
  void s2LongNeedsEveryRequestToFailAtItsDeadline() {
    Row allAt = new Row("S2-long", Contenders.BACKOFF4J).put("requests", 200).put("failed_at_deadline", 200)
        .put("amplification", 1.05);
    Row oneEarly = new Row("S2-long", Contenders.BACKOFF4J).put("requests", 200).put("failed_at_deadline", 199)
        .put("amplification", 1.05);
    assertThat(verdict("S2-long", Contenders.BACKOFF4J, List.of(allAt)).status()).isEqualTo(Targets.Status.MET);
    assertThat(verdict("S2-long", Contenders.BACKOFF4J, List.of(oneEarly)).status()).isEqualTo(Targets.Status.MISSED);
  }

  @Test
  void rowsNotRunOrAbsentAreSaidToBeNotRun() {
    Row notRun = new Row(FleetProcessesScenario.ID, FleetProcessesScenario.REDIS).put("not_run", "no store yet");
    Targets.Verdict redis = verdict(FleetProcessesScenario.ID, FleetProcessesScenario.REDIS, List.of(notRun));
    assertThat(redis.status()).isEqualTo(Targets.Status.NOT_RUN);
    assertThat(redis.line()).isEqualTo("S5-jvm `backoff4j-paced+redis`: **not run** — no store yet");
    assertThat(verdict("S6", Contenders.BACKOFF4J, List.of()).status()).isEqualTo(Targets.Status.NOT_RUN);
    Row broken = new Row("S6", Contenders.BACKOFF4J).put("harness_error", "child died");
    assertThat(verdict("S6", Contenders.BACKOFF4J, List.of(broken)).status()).isEqualTo(Targets.Status.MISSED);
  }

  @Test
  void s6ReportsPeakThreadsAlongsideItsChecks() {
    Row burst = new Row("S6", Contenders.BACKOFF4J).put("success_rate", 1.0).put("attempts_per_call", 1.15)
        .put("peak_threads", 41).put("peak_connections", 677).put("cut_off", false);
    Targets.Verdict v = verdict("S6", Contenders.BACKOFF4J, List.of(burst));
    assertThat(v.status()).isEqualTo(Targets.Status.MET);
    assertThat(v.line()).endsWith("(peak_threads is reported, not bounded: 41 peak threads, 677 peak connections)");
  }

  @Test
  void everyBackoff4jRowOfEveryScenarioHasATarget() {
    for (String scenario : Scenarios.ids()) {
      for (String contender : List.of(Contenders.BACKOFF4J, Contenders.BACKOFF4J_PACED)) {
        assertThat(Targets.all()).as("a target for %s × %s", scenario, contender)
            .anyMatch(t -> t.scenario().equals(scenario) && t.contender().equals(contender));
      }
    }
  }
}
