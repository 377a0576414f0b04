package dev.backoff4j.openai.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.openai.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An embeddings request: model and inputs, plus any other field by name ({@code dimensions}, ...). Immutable. */
public final class EmbeddingRequest {

  private final String model;
  private final List<String> input;
  private final Map<String, JsonNode> extra;

  private EmbeddingRequest(String model, List<String> input, Map<String, JsonNode> extra) {
    this.model = Objects.requireNonNull(model, "model");
    this.input = List.copyOf(input);
    this.extra = Map.copyOf(extra);
    if (this.input.isEmpty()) {
      throw new IllegalArgumentException("embedding request needs at least one input");
    }
  }

  public static EmbeddingRequest of(String model, List<String> input) {
    return new EmbeddingRequest(model, input, Map.of());
  }

  public static EmbeddingRequest of(String model, String... input) {
    return of(model, List.of(input));
  }

  public EmbeddingRequest with(String name, Object value) {
    Map<String, JsonNode> copy = new LinkedHashMap<>(extra);
    copy.put(Objects.requireNonNull(name, "name"), Json.MAPPER.valueToTree(value));
    return new EmbeddingRequest(model, input, copy);
  }

  /** A copy asking another model (a fallback, say). */
  public EmbeddingRequest withModel(String model) {
    return new EmbeddingRequest(model, input, extra);
  }

  public String model() {
    return model;
  }

  public List<String> input() {
    return input;
  }

  public ObjectNode toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode().put("model", model);
    input.forEach(json.putArray("input")::add);
    extra.forEach(json::set);
    return json;
  }

  @Override
  public String toString() {
    return "EmbeddingRequest[" + model + ", " + input.size() + " inputs]";
  }
}
