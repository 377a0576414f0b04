package dev.backoff4j.micrometer;

import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * A pacer's learned limits as gauges, one pair of kinds per rate-limit scope. Each read takes a fresh
 * {@link Pacer#stats()} snapshot, so the values are those of the moment of the scrape.
 */
final class PacerGauges {

  private final Pacer pacer;
  private final MeterRegistry registry;
  private final Tags tags;
  private final Set<String> bound = ConcurrentHashMap.newKeySet();

  PacerGauges(Pacer pacer, MeterRegistry registry, Tags tags) {
    this.pacer = pacer;
    this.registry = registry;
    this.tags = tags;
  }

  /** Registers the gauges of scopes seen for the first time. */
  void refresh() {
    for (PacerStats.Scope scope : pacer.stats().scopes()) {
      if (bound.add(scope.model())) {
        bind(scope.model());
      }
    }
  }

  private void bind(String model) {
    Tags scope = tags.and("model", model.isEmpty() ? "none" : model);
    gauge(Backoff4jMetrics.PACER_LIMIT, scope.and("kind", "requests"), model, s -> limit(s.requests()),
        "the request limit the pacer learned");
    gauge(Backoff4jMetrics.PACER_LIMIT, scope.and("kind", "tokens"), model, s -> limit(s.tokens()),
        "the token limit the pacer learned");
    gauge(Backoff4jMetrics.PACER_REMAINING, scope.and("kind", "requests"), model, s -> s.requests().available(),
        "requests left now; negative while requests queue");
    gauge(Backoff4jMetrics.PACER_REMAINING, scope.and("kind", "tokens"), model, s -> s.tokens().available(),
        "tokens left now; negative while requests queue");
  }

  private static double limit(PacerStats.Limit limit) {
    return limit.known() ? limit.capacity() : Double.NaN;
  }

  private void gauge(String name, Tags tags, String model, ToDoubleFunction<PacerStats.Scope> value,
      String description) {
    Gauge.builder(name, this, gauges -> gauges.read(model, value)).tags(tags).description(description)
        .strongReference(true).register(registry);
  }

  private double read(String model, ToDoubleFunction<PacerStats.Scope> value) {
    for (PacerStats.Scope scope : pacer.stats().scopes()) {
      if (scope.model().equals(model)) {
        return value.applyAsDouble(scope);
      }
    }
    return Double.NaN;
  }
}
