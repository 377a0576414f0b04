package dev.backoff4j.langchain4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The events of one stream as they are handed on, and what OpenAI's stream formats say about them:
 * the text so far, whether an event is the server's error, and whether the stream was complete when
 * it ended. Formats it does not know count as complete at the end of the body.
 */
final class StreamEvents {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RESPONSES_TERMINAL =
      Set.of("response.completed", "response.incomplete", "response.failed", "error");

  private final List<String> data = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private boolean finished;
  private boolean openAiFormat;

  /**
   * The error payload, as an OpenAI error body ({@code {"error": {...}}}), when {@code event} is the
   * server reporting a failure in-band: an {@code error} event, or a {@code data} object holding an
   * {@code error} object (how a chat completion stream fails mid-way); else {@code null}.
   */
  static String errorBody(ServerSentEvent event, JsonNode json) {
    if (json != null && json.path("error").isObject()) {
      return event.data();
    }
    if ("error".equals(event.event())) {
      return json != null && json.isObject() ? "{\"error\":" + event.data() + "}" : null;
    }
    return null;
  }

  /** The event's data as JSON, or {@code null} when it is not JSON ({@code [DONE]}, plain text). */
  static JsonNode parse(ServerSentEvent event) {
    String payload = event.data();
    if (payload == null || payload.isEmpty() || (payload.charAt(0) != '{' && payload.charAt(0) != '[')) {
      return null;
    }
    try {
      return JSON.readTree(payload);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** Records an event handed on to LangChain4j. */
  void add(ServerSentEvent event, JsonNode json) {
    data.add(event.data());
    if ("[DONE]".equals(event.data())) {
      finished = true;
      openAiFormat = true;
      return;
    }
    if (json == null) {
      return;
    }
    JsonNode choices = json.get("choices");
    if (choices != null && choices.isArray()) { // a chat completion (or legacy completion) chunk
      openAiFormat = true;
      JsonNode first = choices.path(0);
      JsonNode content = first.path("delta").path("content");
      if (content.isTextual()) {
        text.append(content.asText());
      } else if (first.path("text").isTextual()) {
        text.append(first.path("text").asText());
      }
      for (JsonNode choice : choices) {
        if (choice.hasNonNull("finish_reason")) {
          finished = true; // some servers end without [DONE] once the choice has finished
        }
      }
      return;
    }
    String type = json.path("type").asText("");
    if (type.startsWith("response.")) { // a Responses API event
      openAiFormat = true;
      if (type.equals("response.output_text.delta") && json.path("delta").isTextual()) {
        text.append(json.path("delta").asText());
      }
      if (RESPONSES_TERMINAL.contains(type)) {
        finished = true;
      }
    }
  }

  /** Whether a stream that ends here is complete: a known format that reached its end, or an unknown one. */
  boolean complete() {
    return finished || !openAiFormat;
  }

  List<String> data() {
    return List.copyOf(data);
  }

  String text() {
    return text.toString();
  }

  int count() {
    return data.size();
  }
}
