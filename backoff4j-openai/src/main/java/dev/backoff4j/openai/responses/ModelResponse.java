package dev.backoff4j.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.internal.Nodes;
import java.util.Optional;

/**
 * A Responses API {@code response} object: the common fields typed, the whole object as {@link #raw()}
 * so nothing it holds is lost (reasoning items, tool calls, annotations, ...).
 *
 * @param id {@code resp_...}
 * @param status {@code completed}, {@code incomplete}, {@code failed}, {@code in_progress},
 *     {@code queued} or {@code cancelled}
 * @param model the model that answered
 * @param outputText the text of every {@code output_text} part of every output message, in order
 *     ({@code ""} when there is none), what the SDKs call {@code output_text}
 * @param usage token counts, or {@code null} if the server sent none (streams report them at the end)
 * @param raw the whole object
 */
public record ModelResponse(String id, String status, String model, String outputText, ResponseUsage usage,
    JsonNode raw) {

  /**
   * Parses a {@code response} object.
   *
   * @throws dev.backoff4j.openai.internal.ShapeException if it is not an object or its {@code output}
   *     is not an array
   */
  public static ModelResponse from(JsonNode json) {
    Nodes.object(json, "response");
    JsonNode output = json.get("output");
    if (output != null && !output.isNull() && !output.isArray()) {
      throw new dev.backoff4j.openai.internal.ShapeException("'output' is not an array");
    }
    StringBuilder text = new StringBuilder();
    if (output != null && output.isArray()) {
      for (JsonNode item : output) {
        if (!"message".equals(item.path("type").asText()) || !item.path("content").isArray()) {
          continue;
        }
        for (JsonNode part : item.get("content")) {
          if ("output_text".equals(part.path("type").asText())) {
            text.append(part.path("text").asText(""));
          }
        }
      }
    }
    return new ModelResponse(Nodes.text(json, "id"), Nodes.text(json, "status"), Nodes.text(json, "model"),
        text.toString(), ResponseUsage.from(json.get("usage")), json);
  }

  /** Whether the response finished ({@code completed}); an {@code incomplete} one was cut short. */
  public boolean isCompleted() {
    return "completed".equals(status);
  }

  /** Why an {@code incomplete} response stopped ({@code max_output_tokens}, {@code content_filter}). */
  public Optional<String> incompleteReason() {
    return Optional.ofNullable(Nodes.text(raw.path("incomplete_details"), "reason"));
  }

  /** The {@code error} of a {@code failed} response: its {@code code} and {@code message}. */
  public Optional<String> error() {
    JsonNode error = raw.get("error");
    if (error == null || !error.isObject()) {
      return Optional.empty();
    }
    return Optional.of(error.path("code").asText("error") + ": " + error.path("message").asText(""));
  }

  @Override
  public String toString() {
    return "ModelResponse[" + id + ", " + status + ", " + model + "]";
  }
}
