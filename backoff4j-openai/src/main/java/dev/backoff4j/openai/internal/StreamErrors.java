package dev.backoff4j.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.spi.ErrorBody;
import dev.backoff4j.openai.spi.ErrorResponses;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Errors a stream reports in-band, after its 200: a chat stream's {@code data: {"error": {...}}}, a
 * Responses {@code error} event ({@code code}, {@code message}, {@code param} at its top level, or in an
 * {@code error} object) and a {@code response.failed} event ({@code response.error}). Each becomes the
 * exception of the HTTP error it describes, so it is classified alike — a rate limit is a
 * {@link dev.backoff4j.openai.errors.RateLimitException} with the message's "try again in" hint:
 *
 * <table>
 *   <caption>Status of an in-band error, first match wins</caption>
 *   <tr><th>code or type</th><th>status</th></tr>
 *   <tr><td>a numeric {@code status} field from 400 to 599</td><td>that status</td></tr>
 *   <tr><td>a quota code ({@code insufficient_quota}, ...), {@code rate_limit_exceeded}, type
 *       {@code requests} or {@code tokens}</td><td>429</td></tr>
 *   <tr><td>{@code invalid_request_error}, {@code invalid_*}, {@code image_*}, {@code *_image*},
 *       {@code bio_policy}, {@code data_residency_mismatch}, {@code context_length_exceeded}</td><td>400</td></tr>
 *   <tr><td>anything else ({@code server_error}, {@code vector_store_timeout}, unknown codes)</td><td>500</td></tr>
 * </table>
 */
public final class StreamErrors {

  private static final Set<String> RATE_LIMIT = Set.of("rate_limit_exceeded", ErrorBody.TYPE_REQUESTS,
      ErrorBody.TYPE_TOKENS);
  private static final Set<String> BAD_REQUEST = Set.of(ErrorBody.TYPE_INVALID_REQUEST, "bio_policy",
      "data_residency_mismatch", "context_length_exceeded", "empty_image_file", "failed_to_download_image",
      "unsupported_image_media_type");

  private StreamErrors() {}

  /**
   * The error a stream event reports, if it reports one.
   *
   * @param type the Responses event's {@code type}, or {@code null} for a chat stream's event (other
   *     Responses events, {@code response.mcp_call.failed} say, report no failure of the stream)
   * @param json the event's data
   */
  public static Optional<OpenAiHttpException> find(String type, JsonNode json, Response response, Instant now) {
    if (json == null || !json.isObject()) {
      return Optional.empty();
    }
    JsonNode error;
    if ("response.failed".equals(type)) {
      JsonNode failed = json.path("response").path("error");
      error = failed.isObject() ? failed : Json.MAPPER.createObjectNode().put("code", "server_error")
          .put("message", "the response failed");
    } else if ("error".equals(type)) {
      error = json.path("error").isObject() ? json.get("error") : json;
    } else if (type == null && json.path("error").isObject()) {
      error = json.get("error"); // a chat stream's error line
    } else {
      return Optional.empty();
    }
    return Optional.of(toException(error, json, response, now));
  }

  private static OpenAiHttpException toException(JsonNode error, JsonNode event, Response response, Instant now) {
    ObjectNode described = Json.MAPPER.createObjectNode();
    ObjectNode body = described.putObject("error");
    for (String field : new String[] {"message", "type", "param", "code"}) {
      JsonNode value = error.get(field);
      if (value != null && value.isValueNode() && !value.isNull()) {
        body.put(field, value.asText());
      } else {
        body.putNull(field);
      }
    }
    if (body.path("type").asText("").equals("error")) {
      body.putNull("type"); // the Responses event's own type, not an error type
    }
    int status = status(event, body.path("type").asText(null), body.path("code").asText(null));
    return OpenAiClassifier.toException(ErrorResponses.read(status, response.headers(), Json.write(described), now,
        Secrets.of(response.request().headers())));
  }

  /** The HTTP status an in-band error describes; see the table above. */
  static int status(JsonNode event, String type, String code) {
    JsonNode given = event.get("status");
    if (given != null && given.isInt() && given.asInt() >= 400 && given.asInt() <= 599) {
      return given.asInt();
    }
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
    String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
    if (OpenAiClassifier.QUOTA_CODES.contains(c) || OpenAiClassifier.QUOTA_CODES.contains(t)
        || RATE_LIMIT.contains(c) || RATE_LIMIT.contains(t)) {
      return 429;
    }
    if (BAD_REQUEST.contains(t) || BAD_REQUEST.contains(c) || c.startsWith("invalid_") || c.startsWith("image_")
        || c.contains("_image")) {
      return 400;
    }
    return 500;
  }
}
