package dev.backoff4j.openai.fallback;

import java.util.List;
import java.util.Objects;

/**
 * A response and the route that produced it.
 *
 * @param value the response
 * @param servedBy the route that answered: the primary, or the fallback that took over
 * @param skipped the failures of the routes tried before it, in order (empty when the primary answered)
 */
public record Served<T>(T value, Route servedBy, List<RuntimeException> skipped) {

  public Served {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(servedBy, "servedBy");
    skipped = List.copyOf(skipped);
  }

  /** Whether a fallback answered instead of the primary. */
  public boolean fellBack() {
    return !servedBy.isPrimary();
  }
}
