package dev.backoff4j.bench.scenarios;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One result: {@code scenario}, {@code contender}, then the scenario's fields in a fixed order.
 * A {@code null} value means "not measurable in this run" (e.g. never recovered) and is written as JSON null.
 */
final class Row {

  private final Map<String, Object> fields = new LinkedHashMap<>();
  private double[] throughput = new double[0];

  Row(String scenario, String contender) {
    fields.put("scenario", scenario);
    fields.put("contender", contender);
  }

  Row put(String name, Object value) {
    fields.put(name, value instanceof Double d ? round(d) : value);
    return this;
  }

  /** An optional measurement: JSON null (a dash in the tables) when empty. */
  Row put(String name, OptionalDouble value) {
    return put(name, value.isPresent() ? (Object) value.getAsDouble() : null);
  }

  Row throughput(double[] perSecond) {
    this.throughput = perSecond.clone();
    return this;
  }

  String scenario() {
    return (String) fields.get("scenario");
  }

  String contender() {
    return (String) fields.get("contender");
  }

  Object get(String name) {
    return fields.get(name);
  }

  boolean has(String name) {
    return fields.get(name) != null;
  }

  double number(String name) {
    Object v = fields.get(name);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  Map<String, Object> fields() {
    return fields;
  }

  /** Successful completions per second over the run, in the scenario's chart bins (S1, S2, S5); else empty. */
  double[] throughput() {
    return throughput.clone();
  }

  /**
   * Three decimals, or three significant digits below 0.1, so that small shares (0.05 % of N is
   * 0.0005) keep their value instead of rounding to a bound they are compared with.
   */
  private static Object round(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return null;
    }
    if (d == 0 || Math.abs(d) >= 0.1) {
      return Math.round(d * 1000.0) / 1000.0;
    }
    return new BigDecimal(d).round(new MathContext(3, RoundingMode.HALF_UP)).doubleValue();
  }
}
