package dev.backoff4j.openai.batch.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.backoff4j.openai.internal.Json;
import java.io.IOException;
import java.util.Arrays;

/**
 * What one batch input line says, read with a streaming parser: the request body is located, not
 * built as a tree, so checking a line costs no more memory than the line. {@link #problem} and the
 * fields say what is wrong; {@link BatchInput} decides in which order to report it.
 */
final class InputLine {

  private static final JsonFactory JSON = Json.MAPPER.getFactory();

  /** Why the line is not a JSON object at all ({@code not valid JSON (...)}), or {@code null}. */
  String problem;
  /** {@code custom_id}'s token, or {@code null} when absent. */
  JsonToken customIdToken;
  String customId;
  /** {@code method}'s token and text ({@code ""} for an object or array), or {@code null} when absent. */
  JsonToken methodToken;
  String method;
  JsonToken urlToken;
  String url;
  /** Whether {@code body} is an object, and where it is in the line. */
  boolean bodyIsObject;
  int bodyStart;
  int bodyEnd;
  /** Whether the body asks for {@code "stream": true} (also {@code "true"} or a non-zero integer). */
  boolean bodyStreams;

  private InputLine() {}

  static InputLine parse(byte[] bytes, int length) {
    InputLine line = new InputLine();
    try (JsonParser parser = JSON.createParser(bytes, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        line.problem = "not a JSON object";
        return line;
      }
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "custom_id" -> {
            line.customIdToken = value;
            line.customId = scalarText(parser, value);
          }
          case "method" -> {
            line.methodToken = value;
            line.method = scalarText(parser, value);
          }
          case "url" -> {
            line.urlToken = value;
            line.url = scalarText(parser, value);
          }
          case "body" -> line.readBody(parser, value);
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        line.problem = "not valid JSON (more after the object)";
      }
    } catch (JsonProcessingException e) {
      line.problem = "not valid JSON (" + e.getOriginalMessage() + ")";
    } catch (IOException e) {
      line.problem = "not valid JSON (" + e.getMessage() + ")";
    }
    return line;
  }

  /** The body's bytes, as written in the line. */
  byte[] body(byte[] bytes) {
    return Arrays.copyOfRange(bytes, bodyStart, bodyEnd);
  }

  private void readBody(JsonParser parser, JsonToken value) throws IOException {
    bodyIsObject = value == JsonToken.START_OBJECT;
    bodyStreams = false;
    if (!bodyIsObject) {
      parser.skipChildren();
      return;
    }
    bodyStart = (int) parser.currentTokenLocation().getByteOffset();
    for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken field = parser.nextToken();
      if (name.equals("stream")) {
        bodyStreams = switch (field) {
          case VALUE_TRUE -> true;
          case VALUE_STRING -> parser.getText().trim().equals("true");
          case VALUE_NUMBER_INT -> !parser.getText().equals("0") && !parser.getText().equals("-0");
          default -> false;
        };
      }
      parser.skipChildren();
    }
    bodyEnd = (int) parser.currentLocation().getByteOffset();
  }

  /** The text of a scalar; {@code ""} for an object or array (which is skipped). */
  private static String scalarText(JsonParser parser, JsonToken value) throws IOException {
    if (value.isStructStart()) {
      parser.skipChildren();
      return "";
    }
    return value == JsonToken.VALUE_NULL ? null : parser.getText();
  }
}
