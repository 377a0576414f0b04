package dev.backoff4j.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the mock needs from a chat completion request.
 *
 * @param model requested model, or null
 * @param lastUserText text of the last {@code user} message ("" if none)
 * @param promptChars characters of all message contents
 * @param stream {@code stream: true}
 * @param includeUsage {@code stream_options.include_usage: true}
 * @param n choices requested, at least 1
 * @param maxTokens {@code max_completion_tokens} or {@code max_tokens}, or -1 if absent
 */
public record ChatRequest(
    String model,
    String lastUserText,
    long promptChars,
    boolean stream,
    boolean includeUsage,
    int n,
    long maxTokens) {

  /**
   * Reads the fields, tolerating absent ones.
   *
   * @throws IllegalArgumentException with an OpenAI-style message naming the bad parameter
   */
  public static ChatRequest from(JsonNode body) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new BadParameterException("messages", "'messages' must be a non-empty array");
    }
    long chars = 0;
    String lastUser = "";
    for (JsonNode message : messages) {
      String text = contentText(message.path("content"));
      chars += text.length();
      if ("user".equals(message.path("role").asText())) {
        lastUser = text;
      }
    }
    int n = body.path("n").isIntegralNumber() ? body.path("n").asInt() : 1;
    if (n < 1 || n > 128) {
      throw new BadParameterException("n", "'n' must be between 1 and 128");
    }
    JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.path("max_tokens");
    return new ChatRequest(
        body.path("model").isTextual() ? body.get("model").asText() : null,
        lastUser,
        chars,
        body.path("stream").asBoolean(false),
        body.path("stream_options").path("include_usage").asBoolean(false),
        n,
        max.isIntegralNumber() ? Math.max(0, max.asLong()) : -1);
  }

  /** Text of a message's content: a string, or the {@code text} of its content parts. */
  static String contentText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) {
          text.append(part.get("text").asText());
        }
      }
      return text.toString();
    }
    return "";
  }
}
