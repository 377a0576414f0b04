package dev.backoff4j.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.internal.Nodes;

/** Token counts of a Responses API call ({@code usage}); zero where the server did not say. */
public record ResponseUsage(long inputTokens, long outputTokens, long totalTokens) {

  /** The usage in {@code node}, or {@code null} if it has none. */
  static ResponseUsage from(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    return new ResponseUsage(Nodes.number(node, "input_tokens"), Nodes.number(node, "output_tokens"),
        Nodes.number(node, "total_tokens"));
  }
}
