package dev.backoff4j.mock.internal;

import dev.backoff4j.mock.FaultKind;

/**
 * An error a stream reports in-band after it has started with a 200, as the {@code sse-error},
 * {@code sse-failed} and {@code sse-rate-limit} faults send it. Each describes an HTTP error, which
 * is what a request that does not stream gets instead.
 */
enum StreamFailure {
  /** A Responses {@code error} event (chat streams: an {@code error} object) for a server error. */
  SERVER_ERROR(false, 500, "server_error",
      "backoff4j-mock injected a server error mid-stream: The server had an error while processing your request."),
  /** A Responses {@code response.failed} event (chat streams: as {@link #SERVER_ERROR}). */
  FAILED(true, 500, "server_error",
      "backoff4j-mock injected a failed response mid-stream: The model failed to generate a response."),
  /** A Responses {@code error} event (chat streams: an {@code error} object) for a rate limit. */
  RATE_LIMIT(false, 429, "rate_limit_exceeded",
      "backoff4j-mock injected a rate limit mid-stream: Rate limit reached for requests. Please try again in 200ms.");

  private final boolean failedEvent;
  private final int status;
  private final String code;
  private final String message;

  StreamFailure(boolean failedEvent, int status, String code, String message) {
    this.failedEvent = failedEvent;
    this.status = status;
    this.code = code;
    this.message = message;
  }

  /** The failure a fault kind injects; throws for kinds that inject none. */
  static StreamFailure of(FaultKind kind) {
    switch (kind) {
      case SSE_ERROR:
        return SERVER_ERROR;
      case SSE_FAILED:
        return FAILED;
      case SSE_RATE_LIMIT:
        return RATE_LIMIT;
      default:
        throw new IllegalArgumentException(kind + " injects no stream failure");
    }
  }

  /** True for a {@code response.failed} event, false for an {@code error} event. */
  boolean failedEvent() {
    return failedEvent;
  }

  /** The HTTP status of the error described, sent to requests that do not stream. */
  int status() {
    return status;
  }

  /** The error code: a {@code ResponseErrorCode} of the OpenAPI description. */
  String code() {
    return code;
  }

  String message() {
    return message;
  }
}
