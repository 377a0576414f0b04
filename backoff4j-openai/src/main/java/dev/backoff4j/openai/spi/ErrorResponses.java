package dev.backoff4j.openai.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.errors.ApiError;
import dev.backoff4j.openai.headers.RateLimits;
import dev.backoff4j.openai.internal.ServerHints;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.internal.Json;
import dev.backoff4j.openai.internal.Secrets;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads an error response into an {@link ApiError}. Tolerant by design: a body that is not JSON, an
 * {@code error} that is a plain string, a numeric {@code code} (Azure), or no body at all still give
 * an {@code ApiError} with whatever could be read, never an exception.
 */
public final class ErrorResponses {

  /** Error bodies are read up to this many bytes; the rest is discarded. */
  public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

  private ErrorResponses() {}

  /**
   * @param now the wall clock, for a {@code Retry-After} HTTP date
   * @param secrets credentials of the request, masked wherever they appear in the body (before it is
   *     read, so its message, code, type and param and the body kept in the {@link ApiError} are all
   *     masked), also JSON-escaped or URL-encoded; key-shaped text is masked too
   */
  public static ApiError read(int status, Headers headers, byte[] rawBody, Instant now, Iterable<String> secrets) {
    byte[] body = Secrets.mask(rawBody, secrets);
    String type = null;
    String code = null;
    String param = null;
    String message = null;
    Optional<JsonNode> json = Json.tryParse(body);
    if (json.isPresent()) {
      JsonNode root = json.get();
      JsonNode error = root.has("error") ? root.get("error") : root;
      if (error.isTextual()) {
        message = error.asText();
      } else if (error.isObject()) {
        type = text(error, "type");
        code = text(error, "code");
        param = text(error, "param");
        message = text(error, "message");
      }
    } else if (body.length > 0) {
      message = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    }
    String requestId = headers.first(RateLimitHeaders.REQUEST_ID).orElse(null);
    return new ApiError(status, headers, body, type, code, param, message, requestId, RateLimits.from(headers),
        ServerHints.find(headers, message, now));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
  }
}
