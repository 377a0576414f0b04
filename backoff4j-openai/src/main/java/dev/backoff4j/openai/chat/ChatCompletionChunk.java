package dev.backoff4j.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.internal.Nodes;
import java.util.List;

/**
 * One event of a streamed chat completion, with its raw JSON.
 *
 * @param usage present on the final chunk when {@code stream_options.include_usage} was requested
 */
public record ChatCompletionChunk(String id, String model, List<Delta> choices, Usage usage, JsonNode raw) {

  /** The increment for one choice; {@code content} and {@code role} are {@code null} when absent. */
  public record Delta(int index, String role, String content, String finishReason) {

    static Delta from(JsonNode node) {
      Nodes.object(node, "choice");
      JsonNode delta = node.get("delta");
      boolean hasDelta = delta != null && delta.isObject();
      return new Delta((int) Nodes.number(node, "index"), hasDelta ? Nodes.text(delta, "role") : null,
          hasDelta ? Nodes.text(delta, "content") : null, Nodes.text(node, "finish_reason"));
    }
  }

  /** @throws dev.backoff4j.openai.internal.ShapeException if {@code json} is not a chunk object */
  public static ChatCompletionChunk from(JsonNode json) {
    Nodes.object(json, "chunk");
    return new ChatCompletionChunk(Nodes.text(json, "id"), Nodes.text(json, "model"),
        Nodes.list(json, "choices", false, Delta::from), Usage.from(json.get("usage")), json);
  }

  /** The first choice's new text, or {@code ""}. */
  public String text() {
    for (Delta delta : choices) {
      if (delta.index() == 0 && delta.content() != null) {
        return delta.content();
      }
    }
    return "";
  }

  /** Whether a choice finished in this chunk. */
  public boolean isFinal() {
    return choices.stream().anyMatch(delta -> delta.finishReason() != null);
  }

  @Override
  public String toString() {
    return "ChatCompletionChunk[" + id + ", " + choices.size() + " choices]";
  }
}
