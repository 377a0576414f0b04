package dev.backoff4j.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.internal.Nodes;
import java.util.Objects;

/**
 * One message of a conversation. Messages with parts, tool calls or other fields travel in the raw
 * JSON of the response, and can be sent through {@link ChatRequest#with}.
 *
 * @param role {@code system}, {@code developer}, {@code user}, {@code assistant}, {@code tool}
 * @param content the text, or {@code null} (an assistant message with only tool calls)
 */
public record ChatMessage(String role, String content) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }

  static ChatMessage from(JsonNode node) {
    Nodes.object(node, "message");
    String role = Nodes.text(node, "role");
    return new ChatMessage(role == null ? "assistant" : role, Nodes.text(node, "content"));
  }

  /** Role and length only: content is the user's prompt. */
  @Override
  public String toString() {
    return "ChatMessage[" + role + ", " + (content == null ? "no content" : content.length() + " chars") + "]";
  }
}
