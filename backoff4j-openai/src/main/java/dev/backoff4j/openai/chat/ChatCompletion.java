package dev.backoff4j.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.internal.Nodes;
import java.util.List;

/**
 * A chat completion: the common fields typed, and the whole response as {@link #raw()} so fields this
 * record does not name (tool calls, logprobs, service tier, ...) are not lost.
 *
 * @param usage token counts, or {@code null} if the server sent none
 */
public record ChatCompletion(String id, String model, long created, List<Choice> choices, Usage usage, JsonNode raw) {

  /**
   * @param message the reply
   * @param finishReason {@code stop}, {@code length}, {@code tool_calls}, ... or {@code null}
   */
  public record Choice(int index, ChatMessage message, String finishReason) {

    static Choice from(JsonNode node) {
      Nodes.object(node, "choice");
      return new Choice((int) Nodes.number(node, "index"), ChatMessage.from(node.get("message")),
          Nodes.text(node, "finish_reason"));
    }
  }

  /**
   * Parses a response body.
   *
   * @throws dev.backoff4j.openai.internal.ShapeException if it is not an object with a {@code choices} array
   */
  public static ChatCompletion from(JsonNode json) {
    Nodes.object(json, "chat completion");
    return new ChatCompletion(Nodes.text(json, "id"), Nodes.text(json, "model"), Nodes.number(json, "created"),
        Nodes.list(json, "choices", true, Choice::from), Usage.from(json.get("usage")), json);
  }

  /** The first choice's text, or {@code ""} when there is none. */
  public String text() {
    if (choices.isEmpty() || choices.get(0).message().content() == null) {
      return "";
    }
    return choices.get(0).message().content();
  }

  @Override
  public String toString() {
    return "ChatCompletion[" + id + ", " + model + ", " + choices.size() + " choices]";
  }
}
