package dev.backoff4j.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.openai.internal.Json;
import java.util.List;
import java.util.Objects;

/**
 * A Responses API request ({@code POST /responses}): a model and an {@code input} — a string, messages,
 * or any items as JSON — plus any other field of the API by name ({@code instructions},
 * {@code max_output_tokens}, {@code tools}, {@code previous_response_id}, {@code reasoning}, ...)
 * through {@link #with}, so nothing the API offers is out of reach; or a whole body as raw JSON
 * ({@link #fromJson}). {@code stream} is set by the client. Immutable.
 */
public final class ResponseRequest {

  private final ObjectNode body;

  private ResponseRequest(ObjectNode body) {
    this.body = body;
  }

  /** {@code input} as one string: a user message. */
  public static ResponseRequest of(String model, String input) {
    Objects.requireNonNull(input, "input");
    return new ResponseRequest(start(model).put("input", input));
  }

  /** {@code input} as messages, in order. @throws IllegalArgumentException if there are none */
  public static ResponseRequest of(String model, InputMessage... messages) {
    return of(model, List.of(messages));
  }

  /** {@code input} as messages, in order. @throws IllegalArgumentException if there are none */
  public static ResponseRequest of(String model, List<InputMessage> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a responses request needs at least one input message");
    }
    ObjectNode body = start(model);
    ArrayNode input = body.putArray("input");
    for (InputMessage message : messages) {
      input.addObject().put("role", message.role()).put("content", message.content());
    }
    return new ResponseRequest(body);
  }

  /**
   * {@code input} as items of any kind, each anything Jackson can write (a {@link JsonNode}, a
   * {@code Map}, an {@link InputMessage}): {@code {"type": "function_call_output", ...}}, a message
   * with {@code input_image} parts, an earlier response's output items.
   */
  public static ResponseRequest ofItems(String model, List<?> items) {
    ObjectNode body = start(model);
    ArrayNode input = body.putArray("input");
    for (Object item : items) {
      input.add(Json.MAPPER.valueToTree(Objects.requireNonNull(item, "item")));
    }
    return new ResponseRequest(body);
  }

  /**
   * A whole request body as JSON, sent as given (a copy is kept). For shapes the typed methods do not
   * cover, e.g. one read from a file.
   *
   * @throws IllegalArgumentException if it has no string {@code model}
   */
  public static ResponseRequest fromJson(JsonNode json) {
    if (json == null || !json.isObject() || !json.path("model").isTextual()) {
      throw new IllegalArgumentException("a responses request body must be a JSON object with a string 'model'");
    }
    return new ResponseRequest(((ObjectNode) json).deepCopy());
  }

  private static ObjectNode start(String model) {
    return Json.MAPPER.createObjectNode().put("model", Objects.requireNonNull(model, "model"));
  }

  /** A copy with field {@code name} set to {@code value} (any value Jackson can write). */
  public ResponseRequest with(String name, Object value) {
    Objects.requireNonNull(name, "name");
    ObjectNode copy = body.deepCopy();
    copy.set(name, Json.MAPPER.valueToTree(value));
    return new ResponseRequest(copy);
  }

  /** A copy asking another model (a fallback, say). */
  public ResponseRequest withModel(String model) {
    return with("model", Objects.requireNonNull(model, "model"));
  }

  /** The system (developer) message, {@code instructions}. */
  public ResponseRequest instructions(String instructions) {
    return with("instructions", instructions);
  }

  /** The most tokens the response may generate, {@code max_output_tokens}, ≥ 1. */
  public ResponseRequest maxOutputTokens(int maxOutputTokens) {
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException("maxOutputTokens must be at least 1, was " + maxOutputTokens);
    }
    return with("max_output_tokens", maxOutputTokens);
  }

  public ResponseRequest temperature(double temperature) {
    return with("temperature", temperature);
  }

  /** Continues the conversation of an earlier response, {@code previous_response_id}. */
  public ResponseRequest previousResponseId(String id) {
    return with("previous_response_id", id);
  }

  public String model() {
    return body.path("model").asText();
  }

  /** The request body (a copy); {@code stream} is set by the client, not here. */
  public ObjectNode toJson() {
    return body.deepCopy();
  }

  /** Model and field names only: the input is the user's prompt. */
  @Override
  public String toString() {
    JsonNode input = body.path("input");
    java.util.List<String> fields = new java.util.ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    return "ResponseRequest[" + model() + ", " + (input.isArray() ? input.size() + " input items" : "text input")
        + ", fields " + fields + "]";
  }
}
