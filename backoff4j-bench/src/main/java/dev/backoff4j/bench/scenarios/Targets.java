package dev.backoff4j.bench.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The targets for {@code backoff4j-paced}, checked against the measured rows. */
final class Targets {

  static final String PACED = "backoff4j-paced";

  private Targets() {}

  /** One line per target: met or missed, with the measured numbers. */
  static List<String> evaluate(List<Row> rows) {
    List<String> lines = new ArrayList<>();
    find(rows, "S1").ifPresentOrElse(r -> {
      double ratio = r.number("completion_ratio");
      double limited = r.number("rate_limited_per_request");
      double failed = r.number("failed");
      boolean met = ratio <= 1.05 && limited <= 0.01 && failed == 0;
      lines.add(String.format(Locale.ROOT,
          "S1 (ratio ≤ 1.05, ≤ 1 %% 429s, 0 failed): **%s** — ratio %.3f%s, %.2f %% 429s per request%s, %.0f failed",
          met ? "met" : "missed", ratio, ratio > 1.05 ? String.format(Locale.ROOT, " (%.1f %% over)", (ratio / 1.05 - 1) * 100) : "",
          limited * 100, limited > 0.01 ? String.format(Locale.ROOT, " (%.2f points over)", (limited - 0.01) * 100) : "",
          failed));
    }, () -> lines.add("S1: not run"));
    find(rows, "S2").ifPresentOrElse(r -> {
      double amp = r.number("amplification");
      double recovery = r.number("recovery_s");
      boolean met = amp <= 1.1 && !Double.isNaN(recovery) && recovery <= 2;
      lines.add(String.format(Locale.ROOT, "S2 (amplification ≤ 1.1, recovery ≤ 2 s): **%s** — amplification %.3f (%s), "
          + "recovery %s (%s)", met ? "met" : "missed", amp, amp <= 1.1 ? "met"
          : String.format(Locale.ROOT, "missed by %.3f", amp - 1.1), Double.isNaN(recovery) ? "never within the run"
          : String.format(Locale.ROOT, "%.2f s", recovery), !Double.isNaN(recovery) && recovery <= 2 ? "met" : "missed"));
    }, () -> lines.add("S2: not run"));
    find(rows, "S3").ifPresentOrElse(r -> {
      double success = r.number("success_rate");
      double p99 = r.number("p99_ms");
      double bestPeer = rows.stream().filter(o -> o.scenario().equals("S3") && !o.contender().equals(PACED))
          .mapToDouble(o -> o.number("p99_ms")).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
      String best = rows.stream().filter(o -> o.scenario().equals("S3") && !o.contender().equals(PACED)
          && o.number("p99_ms") == bestPeer).map(Row::contender).findFirst().orElse("none");
      boolean met = success == 1.0 && p99 <= bestPeer;
      lines.add(String.format(Locale.ROOT, "S3 (success 100 %%, p99 ≤ every peer's): **%s** — success %.2f %% (%s); "
          + "p99 %.0f ms vs best peer %s %.0f ms (%s)", met ? "met" : "missed", success * 100,
          success == 1.0 ? "met" : String.format(Locale.ROOT, "missed by %.2f points", (1 - success) * 100),
          p99, best, bestPeer, p99 <= bestPeer ? "met" : String.format(Locale.ROOT, "missed by %.0f ms", p99 - bestPeer)));
    }, () -> lines.add("S3: not run"));
    find(rows, "S4").ifPresentOrElse(r -> {
      double attempts = r.number("attempts");
      double ms = r.number("time_to_error_ms");
      double max = r.number("max_time_to_error_ms");
      boolean met = attempts == 1.0 && ms < 50;
      lines.add(String.format(Locale.ROOT, "S4 (1 attempt, < 50 ms): **%s** — %.2f attempts per request, median %.1f ms "
          + "(max %.1f ms)", met ? "met" : "missed", attempts, ms, max));
    }, () -> lines.add("S4: not run"));
    return lines;
  }

  private static Optional<Row> find(List<Row> rows, String scenario) {
    return rows.stream().filter(r -> r.scenario().equals(scenario) && r.contender().equals(PACED)).findFirst();
  }
}
