package dev.backoff4j.micrometer;

import dev.backoff4j.openai.gate.GateState;
import dev.backoff4j.openai.gate.GateStats;
import dev.backoff4j.openai.gate.OutageGate;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * An outage gate's state as meters. Every read takes a fresh {@link OutageGate#stats()} snapshot (one
 * short lock), so the values are those of the moment of the scrape, and the counters are the gate's
 * own totals: nothing is counted twice, however many clients share the gate.
 */
final class GateMeters {

  private GateMeters() {}

  /** The {@value Backoff4jMetrics#GATE_STATE} gauge's value of each state: higher is worse. */
  static double value(GateState state) {
    return switch (state) {
      case OPEN -> 0;
      case RECOVERING -> 1;
      case CLOSED -> 2;
    };
  }

  /** The gauges hold the gate strongly; the counters (which Micrometer holds weakly) live as long. */
  static void bind(OutageGate gate, MeterRegistry registry, Tags tags) {
    gauge(registry, Backoff4jMetrics.GATE_STATE, tags, gate, stats -> value(stats.state()),
        "the outage gate's state: 0 open, 1 recovering (slow start), 2 closed");
    gauge(registry, Backoff4jMetrics.GATE_WAITING, tags, gate, GateStats::waiting,
        "requests waiting at the outage gate now");
    FunctionCounter.builder(Backoff4jMetrics.GATE_CLOSINGS, gate, g -> g.stats().closings()).tags(tags)
        .description("how often the outage gate closed").register(registry);
    FunctionCounter.builder(Backoff4jMetrics.GATE_PROBES, gate, g -> g.stats().succeededProbes())
        .tags(tags.and("outcome", "success")).description("probes through the closed outage gate, by outcome")
        .register(registry);
    FunctionCounter.builder(Backoff4jMetrics.GATE_PROBES, gate, g -> g.stats().failedProbes())
        .tags(tags.and("outcome", "failure")).description("probes through the closed outage gate, by outcome")
        .register(registry);
  }

  private static void gauge(MeterRegistry registry, String name, Tags tags, OutageGate gate,
      ToDoubleFunction<GateStats> value, String description) {
    Gauge.builder(name, gate, g -> value.applyAsDouble(g.stats())).tags(tags).description(description)
        .strongReference(true).register(registry);
  }
}
