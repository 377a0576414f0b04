package dev.backoff4j.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.openai.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chat completion request: the model and messages, plus any other field of the API by name
 * ({@code temperature}, {@code max_completion_tokens}, {@code tools}, {@code response_format}, ...)
 * through {@link #with}, so nothing the API offers is out of reach. Immutable.
 */
public final class ChatRequest {

  private final String model;
  private final List<ChatMessage> messages;
  private final Map<String, JsonNode> extra;

  private ChatRequest(String model, List<ChatMessage> messages, Map<String, JsonNode> extra) {
    this.model = Objects.requireNonNull(model, "model");
    this.messages = List.copyOf(messages);
    this.extra = Map.copyOf(extra);
    if (this.messages.isEmpty()) {
      throw new IllegalArgumentException("chat request needs at least one message");
    }
  }

  public static ChatRequest of(String model, ChatMessage... messages) {
    return new ChatRequest(model, List.of(messages), Map.of());
  }

  public static ChatRequest of(String model, List<ChatMessage> messages) {
    return new ChatRequest(model, messages, Map.of());
  }

  /** A copy with field {@code name} set to {@code value} (any value Jackson can write). */
  public ChatRequest with(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Map<String, JsonNode> copy = new LinkedHashMap<>(extra);
    copy.put(name, Json.MAPPER.valueToTree(value));
    return new ChatRequest(model, messages, copy);
  }

  /** A copy asking another model (a fallback, say). */
  public ChatRequest withModel(String model) {
    return new ChatRequest(model, messages, extra);
  }

  public ChatRequest temperature(double temperature) {
    return with("temperature", temperature);
  }

  public ChatRequest maxCompletionTokens(int maxCompletionTokens) {
    return with("max_completion_tokens", maxCompletionTokens);
  }

  public String model() {
    return model;
  }

  public List<ChatMessage> messages() {
    return messages;
  }

  /** The request body; {@code stream} is set by the client, not here. */
  public ObjectNode toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("model", model);
    var array = json.putArray("messages");
    for (ChatMessage message : messages) {
      ObjectNode item = array.addObject().put("role", message.role());
      if (message.content() != null) {
        item.put("content", message.content());
      }
    }
    extra.forEach(json::set);
    return json;
  }

  /** Model and sizes only: messages are prompts. */
  @Override
  public String toString() {
    return "ChatRequest[" + model + ", " + messages.size() + " messages, fields " + extra.keySet() + "]";
  }
}
