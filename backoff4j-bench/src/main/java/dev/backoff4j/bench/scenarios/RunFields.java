package dev.backoff4j.bench.scenarios;

import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Fields every scenario reports the same way. */
final class RunFields {

  private RunFields() {}

  /** When the last call of the run returned, or the run's length if it was cut off. */
  static long wallNanos(LoadRun.Result run) {
    return run.cutOff() ? run.elapsedNanos() : lastEnd(run.outcomes());
  }

  static long lastEnd(List<Outcome> outcomes) {
    return outcomes.stream().mapToLong(Outcome::endNanos).max().orElse(0);
  }

  static OptionalDouble millis(OptionalDouble nanos) {
    return nanos.isPresent() ? OptionalDouble.of(nanos.getAsDouble() / 1e6) : OptionalDouble.empty();
  }

  /** Failures by exception type, e.g. {@code "RateLimitException=12, cut off=3"}; empty when none. */
  static String errors(List<Outcome> outcomes) {
    TreeMap<String, Long> counts = new TreeMap<>();
    outcomes.stream().filter(o -> !o.ok()).forEach(o -> counts.merge(o.error(), 1L, Long::sum));
    StringBuilder text = new StringBuilder();
    counts.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append('=').append(v));
    return text.toString();
  }

  /** The message of the last failure that has one, to show why requests failed. */
  static String errorSample(List<Outcome> outcomes) {
    return outcomes.stream().filter(o -> o.message() != null).reduce((a, b) -> b)
        .map(o -> o.error() + ": " + o.message()).orElse(null);
  }

  /** {@code errors} and {@code error_sample}, the last two fields of every row. */
  static Row finish(Row row, List<Outcome> outcomes) {
    return row.put("errors", errors(outcomes)).put("error_sample", errorSample(outcomes));
  }
}
