package dev.backoff4j.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.internal.Nodes;

/** Token counts; zero where the server did not say. */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {

  /** The usage in {@code node}, or {@code null} if it has none. */
  public static Usage from(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    return new Usage(Nodes.number(node, "prompt_tokens"), Nodes.number(node, "completion_tokens"),
        Nodes.number(node, "total_tokens"));
  }
}
