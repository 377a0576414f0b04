package dev.backoff4j.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the mock needs from a {@code POST /v1/responses} request.
 *
 * @param model requested model, or null
 * @param instructions the {@code instructions} string, or null
 * @param lastUserText text of the last {@code user} message of {@code input} (the whole string when
 *     {@code input} is a string; "" when no item is a user message)
 * @param inputChars characters of the instructions and of every input item's text
 * @param stream {@code stream: true}
 * @param maxOutputTokens {@code max_output_tokens}, or -1 if absent
 */
public record ResponsesRequest(
    String model,
    String instructions,
    String lastUserText,
    long inputChars,
    boolean stream,
    long maxOutputTokens) {

  /**
   * Reads the fields, tolerating absent optional ones. {@code input} is a string or an array of
   * items: messages ({@code {"role": "user", "content": "..."}}, with {@code content} a string or
   * content parts such as {@code {"type": "input_text", "text": "..."}}) and other items, whose
   * {@code content} or {@code output} text is counted but never echoed.
   *
   * @throws BadParameterException naming {@code input}, {@code instructions} or
   *     {@code max_output_tokens} when it has the wrong shape
   */
  public static ResponsesRequest from(JsonNode body) {
    JsonNode input = body.path("input");
    long chars = 0;
    String lastUser = "";
    if (input.isTextual()) {
      lastUser = input.asText();
      chars = lastUser.length();
    } else if (input.isArray() && !input.isEmpty()) {
      for (JsonNode item : input) {
        if (!item.isObject()) {
          throw new BadParameterException("input",
              "'input' items must be objects, e.g. {\"role\": \"user\", \"content\": \"Hi\"}");
        }
        String text = ChatRequest.contentText(item.path("content"));
        if (text.isEmpty() && item.path("output").isTextual()) {
          text = item.get("output").asText(); // e.g. a function_call_output item
        }
        chars += text.length();
        if ("user".equals(item.path("role").asText())) {
          lastUser = text;
        }
      }
    } else {
      throw new BadParameterException("input", "'input' must be a string or a non-empty array of input items");
    }
    JsonNode instructions = body.path("instructions");
    if (!instructions.isMissingNode() && !instructions.isNull() && !instructions.isTextual()) {
      throw new BadParameterException("instructions", "'instructions' must be a string or null");
    }
    String instructionsText = instructions.isTextual() ? instructions.asText() : null;
    JsonNode max = body.path("max_output_tokens");
    if (!max.isMissingNode() && !max.isNull() && !(max.isIntegralNumber() && max.asLong() >= 1)) {
      throw new BadParameterException("max_output_tokens", "'max_output_tokens' must be a positive integer or null");
    }
    return new ResponsesRequest(
        body.path("model").isTextual() ? body.get("model").asText() : null,
        instructionsText,
        lastUser,
        chars + (instructionsText == null ? 0 : instructionsText.length()),
        body.path("stream").asBoolean(false),
        max.isIntegralNumber() ? max.asLong() : -1);
  }
}
