package dev.backoff4j.bench.scenarios;

import java.util.LinkedHashMap;
import java.util.Map;

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

  double number(String name) {
    Object v = fields.get(name);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  Map<String, Object> fields() {
    return fields;
  }

  /** S1 only: successful completions per second, in {@link Scenarios#CHART_BIN} bins from the start. */
  double[] throughput() {
    return throughput.clone();
  }

  private static Object round(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return null;
    }
    return Math.round(d * 1000.0) / 1000.0;
  }
}
