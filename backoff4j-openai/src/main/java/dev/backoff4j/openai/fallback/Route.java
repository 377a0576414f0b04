package dev.backoff4j.openai.fallback;

import dev.backoff4j.openai.OpenAiClient;
import java.util.Objects;
import java.util.Optional;

/**
 * One place a request can be served: a client (its endpoint, key, retry policy and pacer) and
 * optionally another model than the request names.
 *
 * @param index 0 for the primary, 1 for the first fallback, ...
 * @param client the client to call
 * @param model the model to ask instead of the request's; {@code null} keeps the request's
 */
public record Route(int index, OpenAiClient client, String model) {

  public Route {
    Objects.requireNonNull(client, "client");
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    if (model != null && model.isBlank()) {
      throw new IllegalArgumentException("fallback model must not be blank");
    }
  }

  /** Whether this is the primary route. */
  public boolean isPrimary() {
    return index == 0;
  }

  /** The model this route asks for, if it replaces the request's. */
  public Optional<String> modelOverride() {
    return Optional.ofNullable(model);
  }

  /** {@code #1 http://host/v1 model gpt-4o-mini}: where, never the key. */
  @Override
  public String toString() {
    return "#" + index + " " + client.baseUrl() + (model == null ? "" : " model " + model);
  }
}
