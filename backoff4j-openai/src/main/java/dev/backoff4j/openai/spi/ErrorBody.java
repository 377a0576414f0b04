package dev.backoff4j.openai.spi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import java.util.Optional;

/**
 * OpenAI's error response, {@code {"error":{"message","type","param","code"}}}.
 *
 * <p>{@code param} and {@code code} are often null; they are still written (as JSON {@code null}),
 * because OpenAI's schema marks all four fields required.
 *
 * @param error the error details; never null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorBody(Error error) {
  /** {@code type} of a 429 caused by request or token rate limits. */
  public static final String CODE_RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";
  /** {@code type} and {@code code} of a 429 caused by an exhausted billing quota; retrying won't help. */
  public static final String CODE_INSUFFICIENT_QUOTA = "insufficient_quota";
  /** {@code type} of client mistakes (400, 404, and 401 with code {@code invalid_api_key}). */
  public static final String TYPE_INVALID_REQUEST = "invalid_request_error";
  /** {@code type} of 5xx errors. */
  public static final String TYPE_SERVER_ERROR = "server_error";
  /** {@code type} of rate-limit 429s as OpenAI sends them for request limits. */
  public static final String TYPE_REQUESTS = "requests";
  /** {@code type} of rate-limit 429s as OpenAI sends them for token limits. */
  public static final String TYPE_TOKENS = "tokens";

  // ObjectMapper is thread-safe once configured and is never reconfigured after this line.
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Rejects a null {@code error}. */
  public ErrorBody {
    Objects.requireNonNull(error, "error");
  }

  /** Shorthand for {@code new ErrorBody(new Error(message, type, param, code))}. */
  public static ErrorBody of(String message, String type, String param, String code) {
    return new ErrorBody(new Error(message, type, param, code));
  }

  /** Serializes to compact JSON. */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen for strings", e);
    }
  }

  /**
   * Parses an error response body.
   *
   * @return empty if the text is null, not JSON, or has no {@code error} object (an HTML page from a
   *     proxy, for example); unknown fields are ignored
   */
  public static Optional<ErrorBody> parse(String json) {
    if (json == null || json.isBlank()) {
      return Optional.empty();
    }
    try {
      ErrorBody body = MAPPER.readValue(json, ErrorBody.class);
      return Optional.ofNullable(body);
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The error details.
   *
   * @param message human-readable explanation; null becomes the empty string
   * @param type error category such as {@code invalid_request_error}; null becomes the empty string
   * @param param the request parameter at fault, or null
   * @param code machine-readable code such as {@code rate_limit_exceeded}, or null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Error(String message, String type, String param, String code) {
    /** Normalizes null message and type to "" so the JSON always matches OpenAI's schema. */
    public Error {
      message = message == null ? "" : message;
      type = type == null ? "" : type;
    }
  }
}
