package dev.backoff4j.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One event of a streamed response, with its raw JSON: {@code response.created},
 * {@code response.output_text.delta}, {@code response.completed}, ... (the OpenAPI description's
 * {@code ResponseStreamEvent}s).
 *
 * @param type the event's {@code type}
 * @param sequenceNumber its {@code sequence_number}, or -1 if it had none
 * @param raw the event's data
 */
public record ResponseStreamEvent(String type, long sequenceNumber, JsonNode raw) {

  /** {@code response.output_text.delta}: the next piece of the text. */
  public static final String OUTPUT_TEXT_DELTA = "response.output_text.delta";
  /** {@code response.completed}: the last event of a response that finished, carrying it whole. */
  public static final String COMPLETED = "response.completed";
  /** {@code response.incomplete}: the last event of a response cut short (by {@code max_output_tokens}, say). */
  public static final String INCOMPLETE = "response.incomplete";
  /** {@code response.failed}: the response failed; never delivered, it ends the stream with an exception. */
  public static final String FAILED = "response.failed";
  /** {@code error}: an error; never delivered, it ends the stream with an exception. */
  public static final String ERROR = "error";

  static ResponseStreamEvent from(JsonNode json, String eventName) {
    String type = json.path("type").isTextual() ? json.get("type").asText() : eventName;
    long sequence = json.path("sequence_number").canConvertToLong() ? json.get("sequence_number").asLong() : -1;
    return new ResponseStreamEvent(type == null ? "" : type, sequence, json);
  }

  /** The text a {@code response.output_text.delta} adds; {@code ""} for other events. */
  public String delta() {
    return OUTPUT_TEXT_DELTA.equals(type) ? raw.path("delta").asText("") : "";
  }

  /** The response an event carries ({@code response.created}, {@code response.completed}, ...). */
  public Optional<ModelResponse> response() {
    JsonNode response = raw.get("response");
    return response != null && response.isObject() ? Optional.of(ModelResponse.from(response)) : Optional.empty();
  }

  /** Whether this event ends the stream: {@code response.completed} or {@code response.incomplete}. */
  public boolean isTerminal() {
    return COMPLETED.equals(type) || INCOMPLETE.equals(type);
  }

  @Override
  public String toString() {
    return "ResponseStreamEvent[" + type + " #" + sequenceNumber + "]";
  }
}
