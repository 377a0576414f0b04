package dev.backoff4j.openai.batch.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.backoff4j.openai.internal.Json;
import dev.backoff4j.openai.spi.ErrorBody;
import java.io.IOException;

/**
 * What one existing output line says, read with a streaming parser (response bodies are skipped, not
 * built): whether it is a batch output line at all, its {@code custom_id}, and how it ended.
 *
 * <p>A batch output line is a JSON object with a string {@code id}, a string {@code custom_id}, and
 * {@code response} and {@code error} each an object or {@code null} — what backoff4j writes, and what
 * the OpenAI Batch API's own output files hold.
 */
final class OutputLine {

  private static final JsonFactory JSON = Json.MAPPER.getFactory();

  static final String NOT_OUTPUT = "not a batch output line (one needs \"id\", \"custom_id\", \"response\" and \"error\")";

  /** Why this is not a batch output line, or {@code null}. */
  String problem;
  String customId;
  /** The error's state: {@link IdTable#SUCCEEDED}, {@link IdTable#FINAL_ERROR} or {@link IdTable#RETRYABLE_ERROR}. */
  byte state;

  private OutputLine() {}

  static OutputLine parse(byte[] bytes, int length) {
    OutputLine line = new OutputLine();
    boolean id = false;
    boolean response = false;
    boolean error = false;
    boolean hasError = false;
    Boolean retryable = null;
    String code = null;
    int status = 0;
    try (JsonParser parser = JSON.createParser(bytes, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        line.problem = NOT_OUTPUT;
        return line;
      }
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "id" -> id = value == JsonToken.VALUE_STRING;
          case "custom_id" -> line.customId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "response" -> {
            response = value == JsonToken.START_OBJECT || value == JsonToken.VALUE_NULL;
            if (value == JsonToken.START_OBJECT) {
              for (JsonToken field = parser.nextToken(); field == JsonToken.FIELD_NAME; field = parser.nextToken()) {
                boolean isStatus = parser.currentName().equals("status_code");
                if (parser.nextToken() == JsonToken.VALUE_NUMBER_INT && isStatus) {
                  status = parser.getIntValue();
                }
                parser.skipChildren();
              }
            }
          }
          case "error" -> {
            error = value == JsonToken.START_OBJECT || value == JsonToken.VALUE_NULL;
            hasError = value == JsonToken.START_OBJECT;
            if (hasError) {
              for (JsonToken field = parser.nextToken(); field == JsonToken.FIELD_NAME; field = parser.nextToken()) {
                String errorField = parser.currentName();
                JsonToken errorValue = parser.nextToken();
                if (errorField.equals("code") && errorValue == JsonToken.VALUE_STRING) {
                  code = parser.getText();
                } else if (errorField.equals("retryable") && errorValue.isBoolean()) {
                  retryable = errorValue == JsonToken.VALUE_TRUE;
                }
                parser.skipChildren();
              }
            }
          }
          default -> { }
        }
        parser.skipChildren();
      }
      if (parser.nextToken() != null) {
        line.problem = "not valid JSON (more after the object)";
        return line;
      }
    } catch (IOException e) {
      line.problem = "not valid JSON";
      return line;
    }
    if (!id || line.customId == null || !response || !error) {
      line.problem = NOT_OUTPUT;
      return line;
    }
    line.state = !hasError ? IdTable.SUCCEEDED
        : (retryable != null ? retryable : recoverable(status, code)) ? IdTable.RETRYABLE_ERROR : IdTable.FINAL_ERROR;
    return line;
  }

  /**
   * For error lines without {@code retryable} (written before it existed, or by another tool): a 5xx,
   * a 408, a 429 that is not a quota error, or no response at all after a timeout or connection failure.
   */
  static boolean recoverable(int status, String code) {
    if (status == 0) {
      return "timeout".equals(code) || "connection_error".equals(code);
    }
    return status >= 500 || status == 408 || status == 429 && !ErrorBody.CODE_INSUFFICIENT_QUOTA.equals(code);
  }
}
