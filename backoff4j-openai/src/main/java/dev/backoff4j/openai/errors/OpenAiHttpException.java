package dev.backoff4j.openai.errors;

import dev.backoff4j.openai.headers.RateLimits;
import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.openai.http.Headers;
import java.util.Optional;

/**
 * The server answered with a non-2xx status. Subclasses name the common cases; other statuses (408,
 * 418, ...) are this class itself. Message: {@code 429 rate_limit_exceeded (req_abc): Rate limit
 * reached for ...}.
 */
public class OpenAiHttpException extends OpenAiException {

  private static final long serialVersionUID = 1L;

  private final transient ApiError error;

  public OpenAiHttpException(ApiError error) {
    super(error.summary() + (error.message() == null || error.message().isBlank() ? "" : ": " + error.message()),
        null);
    this.error = error;
  }

  /** Everything read from the response. */
  public ApiError error() {
    return error;
  }

  public int status() {
    return error.status();
  }

  public Optional<String> type() {
    return Optional.ofNullable(error.type());
  }

  public Optional<String> code() {
    return Optional.ofNullable(error.code());
  }

  public Optional<String> param() {
    return Optional.ofNullable(error.param());
  }

  /** The server's message, without the status prefix. */
  public Optional<String> serverMessage() {
    return Optional.ofNullable(error.message());
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(error.requestId());
  }

  public Headers headers() {
    return error.headers();
  }

  /** The raw body as received (bounded). */
  public byte[] body() {
    return error.body().clone();
  }

  public RateLimits rateLimits() {
    return error.rateLimits();
  }

  /** The server's retry hint, whether or not it was honoured. */
  public Optional<ServerHint> hint() {
    return error.hint();
  }

  @Override
  public String summary() {
    return error.summary();
  }
}
