package dev.backoff4j.bench.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The targets for backoff4j's rows, checked against the measured rows. Every target states success
 * and cost together, and is met only when all its checks are, so neither can be bought with the
 * other: a client that fails requests to stay cheap misses its success check, one that succeeds by
 * hammering the server or waiting without end misses its cost check.
 *
 * <p>Bounds come from the issues (12: ride-through; 14: fleet pacing) unless marked "harness bound":
 * where an issue set a success target without a cost, the harness adds the cost bound named in
 * {@link #HARNESS_TIME_BOUND} or {@link #HARNESS_ATTEMPTS_BOUND}.
 */
final class Targets {

  /**
   * The harness's time bound where an issue gave none: the job finishes within 1.25 × the best
   * possible time (a client cannot reach 0 failed by waiting arbitrarily long).
   */
  static final double HARNESS_TIME_BOUND = 1.25;
  /** The harness's attempts bound for S3: the same fault mix as S6, whose target is ≤ 1.3 attempts per call. */
  static final double HARNESS_ATTEMPTS_BOUND = 1.3;

  private static final String B4J = Contenders.BACKOFF4J;
  private static final String PACED = Contenders.BACKOFF4J_PACED;

  private Targets() {}

  /** Whether a check is about the work getting done or about what that cost. */
  enum Kind {
    SUCCESS, COST;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a value is written: measured values with fixed decimals, bounds as short as they go. */
  enum Unit {
    PERCENT, RATIO, COUNT, SECONDS, MILLIS;

    String value(double v) {
      return switch (this) {
        case PERCENT -> trim(v * 100, 3) + " %";
        case RATIO -> String.format(Locale.ROOT, "%.3f", v);
        case COUNT -> String.format(Locale.ROOT, "%.0f", v);
        case SECONDS -> String.format(Locale.ROOT, "%.2f s", v);
        case MILLIS -> String.format(Locale.ROOT, "%.0f ms", v);
      };
    }

    String bound(double v) {
      return switch (this) {
        case PERCENT -> trim(v * 100, 3) + " %";
        case RATIO, COUNT -> trim(v, 3);
        case SECONDS -> trim(v, 2) + " s";
        case MILLIS -> String.format(Locale.ROOT, "%.0f ms", v);
      };
    }
  }

  /** How a measured value must compare with its bound. */
  enum Op {
    AT_MOST("≤"), AT_LEAST("≥"), EQUAL("=");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    boolean holds(double value, double bound) {
      return switch (this) {
        case AT_MOST -> value <= bound;
        case AT_LEAST -> value >= bound;
        case EQUAL -> value == bound;
      };
    }
  }

  /**
   * One condition: {@code measure(row) op bound(rows)}.
   *
   * @param what what is measured, in words, {@code %s} standing for the value ("%s failed", "amplification %s")
   * @param unit how the value and the bound are written
   * @param boundText the bound in words when it is not a constant ("the best peer's"), else null
   * @param harness true when the bound is the harness's, not an issue's
   */
  record Check(Kind kind, String what, ToDoubleFunction<Row> measure, Op op, ToDoubleFunction<List<Row>> bound,
      Unit unit, String boundText, boolean harness) {}

  /** The checks for one row (scenario × contender); met when every check holds. */
  record Target(String scenario, String contender, List<Check> checks, String note) {}

  enum Status {
    MET, MISSED, NOT_RUN
  }

  /** A target's verdict and its line for the report. */
  record Verdict(Target target, Status status, String line) {}

  static List<Target> all() {
    List<Target> targets = new ArrayList<>();
    targets.add(new Target("S1", B4J, List.of(
        atLeast(Kind.SUCCESS, "success %s", "success_rate", 0.999, Unit.PERCENT),
        harnessTime()), null));
    targets.add(new Target("S1", PACED, List.of(
        equal(Kind.SUCCESS, "%s failed", "failed", 0, Unit.COUNT),
        atMost(Kind.COST, "%s × best possible", "ratio_to_best_possible", 1.05, Unit.RATIO),
        atMost(Kind.COST, "%s 429s per request", "rate_limited_per_request", 0.01, Unit.PERCENT),
        atMost(Kind.COST, "%s of N as 429s in the first second", "rate_limited_first_second", 0.001, Unit.PERCENT)),
        null));
    for (String contender : List.of(B4J, PACED)) {
      targets.add(new Target("S2", contender, List.of(
          equal(Kind.SUCCESS, "%s failed", "failed", 0, Unit.COUNT),
          atMost(Kind.COST, "amplification %s", "amplification", 1.1, Unit.RATIO),
          atMost(Kind.COST, "recovery %s", "recovery_s", 1.0, Unit.SECONDS)), null));
    }
    for (String contender : List.of(B4J, PACED)) {
      targets.add(new Target("S2-long", contender, List.of(
          new Check(Kind.SUCCESS, "%s of requests failed at their deadline (within 100 ms after it, never before)",
              row -> row.number("failed_at_deadline") / row.number("requests"), Op.EQUAL, rows -> 1.0,
              Unit.PERCENT, null, false),
          atMost(Kind.COST, "amplification %s", "amplification", 1.1, Unit.RATIO)), null));
    }
    for (String contender : List.of(B4J, PACED)) {
      targets.add(new Target("S3", contender, List.of(
          equal(Kind.SUCCESS, "success %s", "success_rate", 1.0, Unit.PERCENT),
          new Check(Kind.COST, "p99 %s", row -> row.number("p99_ms"), Op.AT_MOST, Targets::bestPeerP99,
              Unit.MILLIS, "the best peer's", false),
          new Check(Kind.COST, "%s attempts per call", row -> row.number("attempts_per_call"), Op.AT_MOST,
              rows -> HARNESS_ATTEMPTS_BOUND, Unit.RATIO, null, true)), null));
    }
    for (String contender : List.of(B4J, PACED)) {
      targets.add(new Target("S4", contender, List.of(
          equal(Kind.COST, "%s attempts per request", "attempts", 1.0, Unit.RATIO),
          new Check(Kind.COST, "median time to the error %s", row -> row.number("time_to_error_ms"), Op.AT_MOST,
              rows -> 50.0, Unit.MILLIS, null, false)), null));
    }
    for (String contender : List.of(B4J, PACED)) {
      targets.add(new Target("S5", contender, List.of(
          equal(Kind.SUCCESS, "%s failed", "failed", 0, Unit.COUNT), harnessTime()), null));
    }
    for (String contender : List.of(B4J, PACED)) {
      targets.add(new Target(FleetProcessesScenario.ID, contender, List.of(
          equal(Kind.SUCCESS, "%s failed", "failed", 0, Unit.COUNT), harnessTime()), null));
    }
    targets.add(new Target(FleetProcessesScenario.ID, FleetProcessesScenario.REDIS, List.of(
        equal(Kind.SUCCESS, "%s failed", "failed", 0, Unit.COUNT),
        atMost(Kind.COST, "%s 429s per request", "rate_limited_per_request", 0.005, Unit.PERCENT),
        atMost(Kind.COST, "%s × best possible", "ratio_to_best_possible", 1.05, Unit.RATIO)), null));
    targets.add(new Target(FleetProcessesScenario.ID, FleetProcessesScenario.REDIS_KILLED, List.of(
        equal(Kind.SUCCESS, "%s failed", "failed", 0, Unit.COUNT), harnessTime()), null));
    for (String contender : List.of(B4J, PACED)) {
      targets.add(new Target("S6", contender, List.of(
          equal(Kind.SUCCESS, "success %s", "success_rate", 1.0, Unit.PERCENT),
          atMost(Kind.COST, "%s attempts per call", "attempts_per_call", 1.3, Unit.RATIO)),
          "peak_threads is reported, not bounded"));
    }
    return targets;
  }

  /** One verdict per target, in {@link #all()}'s order. */
  static List<Verdict> evaluate(List<Row> rows) {
    return all().stream().map(t -> evaluate(t, rows)).toList();
  }

  static Verdict evaluate(Target target, List<Row> rows) {
    String head = target.scenario() + " `" + target.contender() + "`";
    Optional<Row> found = rows.stream()
        .filter(r -> r.scenario().equals(target.scenario()) && r.contender().equals(target.contender())).findFirst();
    if (found.isEmpty()) {
      return new Verdict(target, Status.NOT_RUN, head + ": **not run** (not selected in this run)");
    }
    Row row = found.get();
    if (row.has("not_run")) {
      return new Verdict(target, Status.NOT_RUN, head + ": **not run** — " + row.get("not_run"));
    }
    if (row.has("harness_error")) {
      return new Verdict(target, Status.MISSED, head + ": **missed** — the harness failed: " + row.get("harness_error"));
    }
    boolean met = true;
    StringBuilder text = new StringBuilder();
    Map<Kind, List<Check>> byKind = target.checks().stream()
        .collect(Collectors.groupingBy(Check::kind, () -> new java.util.EnumMap<>(Kind.class), Collectors.toList()));
    for (Map.Entry<Kind, List<Check>> kind : byKind.entrySet()) {
      List<String> parts = new ArrayList<>();
      for (Check check : kind.getValue()) {
        double value = check.measure().applyAsDouble(row);
        double bound = check.bound().applyAsDouble(rows);
        boolean holds = !Double.isNaN(value) && !Double.isNaN(bound) && check.op().holds(value, bound);
        met &= holds;
        String boundText = check.boundText() == null ? check.unit().bound(bound)
            : check.boundText() + (Double.isNaN(bound) ? " (none measured)" : ", " + check.unit().value(bound));
        String measured = Double.isNaN(value) ? "not measured" : check.unit().value(value);
        parts.add(String.format(Locale.ROOT, "%s (%s %s%s: %s)", String.format(Locale.ROOT, check.what(), measured),
            check.op().symbol, boundText, check.harness() ? ", harness bound" : "", holds ? "met" : "missed"));
      }
      text.append(text.length() == 0 ? "" : "; ").append(kind.getKey().label()).append(": ")
          .append(String.join(", ", parts));
    }
    if (row.has("cut_off") && Boolean.TRUE.equals(row.get("cut_off"))) {
      text.append(" [cut off]");
    }
    if (target.note() != null) {
      text.append(" (").append(target.note()).append(extra(row)).append(')');
    }
    return new Verdict(target, met ? Status.MET : Status.MISSED,
        head + ": **" + (met ? "met" : "missed") + "** — " + text);
  }

  private static String extra(Row row) {
    if (!row.has("peak_threads")) {
      return "";
    }
    return ": " + row.get("peak_threads") + " peak threads, "
        + (row.has("peak_connections") ? row.get("peak_connections") : "unknown") + " peak connections";
  }

  /** The lowest p99 in S3 among the contenders that are not backoff4j; NaN if none was measured. */
  static double bestPeerP99(List<Row> rows) {
    return rows.stream().filter(r -> r.scenario().equals("S3") && !Contenders.isBackoff4j(r.contender()))
        .mapToDouble(r -> r.number("p99_ms")).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
  }

  private static Check harnessTime() {
    return new Check(Kind.COST, "%s × best possible", row -> row.number("ratio_to_best_possible"), Op.AT_MOST,
        rows -> HARNESS_TIME_BOUND, Unit.RATIO, null, true);
  }

  private static Check atMost(Kind kind, String what, String field, double bound, Unit unit) {
    return new Check(kind, what, row -> row.number(field), Op.AT_MOST, rows -> bound, unit, null, false);
  }

  private static Check atLeast(Kind kind, String what, String field, double bound, Unit unit) {
    return new Check(kind, what, row -> row.number(field), Op.AT_LEAST, rows -> bound, unit, null, false);
  }

  private static Check equal(Kind kind, String what, String field, double bound, Unit unit) {
    return new Check(kind, what, row -> row.number(field), Op.EQUAL, rows -> bound, unit, null, false);
  }

  private static String trim(double v, int decimals) {
    String text = String.format(Locale.ROOT, "%." + decimals + "f", v);
    return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
  }
}
