package dev.backoff4j.mock.internal;

import dev.backoff4j.openai.spi.ErrorBody;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * OpenAI-shaped error bodies for each error the mock sends, as JSON bytes. Bodies that never change
 * (one per status, the 401, the quota error, the stream failures, the fault pages) are serialised
 * once and shared by every request that sends them; only bodies that name something of the request
 * (its URL, a parameter, a rate-limit wait) are written per request. The shared arrays must never be
 * written to: callers wrap them in read-only buffers, and the class stays package-private.
 */
final class ErrorResponses {
  private static final int FIRST_STATUS = 400;
  private static final AtomicReferenceArray<byte[]> BY_STATUS = new AtomicReferenceArray<>(200);
  private static final byte[] UNAUTHORIZED = json(ErrorBody.of(
      "Incorrect API key provided. backoff4j-mock requires the key configured in its scenario.",
      ErrorBody.TYPE_INVALID_REQUEST, null, "invalid_api_key"));
  private static final byte[] INSUFFICIENT_QUOTA = json(ErrorBody.of(
      "You exceeded your current quota, please check your plan and billing details.",
      ErrorBody.CODE_INSUFFICIENT_QUOTA, null, ErrorBody.CODE_INSUFFICIENT_QUOTA));
  private static final Map<StreamFailure, byte[]> STREAM_FAILURES = new EnumMap<>(StreamFailure.class);

  static {
    for (StreamFailure failure : StreamFailure.values()) {
      STREAM_FAILURES.put(failure, json(ErrorBody.of(failure.message(),
          failure.status() == 429 ? ErrorBody.TYPE_REQUESTS : ErrorBody.TYPE_SERVER_ERROR, null, failure.code())));
    }
  }

  /** An nginx-style 502 page, as a reverse proxy sends when its upstream is gone. */
  static final byte[] HTML_502 = (
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
          + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
          + "</body>\r\n</html>\r\n").getBytes(StandardCharsets.UTF_8);

  /** A body that starts like a chat completion and stops mid-way: not parseable JSON. */
  static final byte[] MALFORMED_CHAT_JSON = (
      "{\"id\":\"chatcmpl-malformed\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"Hel").getBytes(StandardCharsets.UTF_8);

  /** A body that starts like a Responses API response and stops mid-way: not parseable JSON. */
  static final byte[] MALFORMED_RESPONSE_JSON = (
      "{\"id\":\"resp_malformed\",\"object\":\"response\",\"status\":\"completed\",\"output\":[{\"type\":"
          + "\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hel")
      .getBytes(StandardCharsets.UTF_8);

  private ErrorResponses() {}

  /**
   * The body OpenAI would plausibly send with {@code status} (400..599), marked as injected by the
   * mock; the same array every time.
   */
  static byte[] forStatus(int status) {
    if (status < FIRST_STATUS || status >= FIRST_STATUS + BY_STATUS.length()) {
      throw new IllegalArgumentException("no error body for status " + status);
    }
    if (status == 401) {
      return UNAUTHORIZED;
    }
    byte[] body = BY_STATUS.get(status - FIRST_STATUS);
    if (body == null) {
      // A race writes equal bytes twice at worst; every later request reads the stored array.
      body = json(bodyFor(status));
      BY_STATUS.compareAndSet(status - FIRST_STATUS, null, body);
      body = BY_STATUS.get(status - FIRST_STATUS);
    }
    return body;
  }

  /** The 401 for a missing or wrong key. */
  static byte[] unauthorized() {
    return UNAUTHORIZED;
  }

  /** The 429 for an exhausted billing quota. */
  static byte[] insufficientQuota() {
    return INSUFFICIENT_QUOTA;
  }

  /** The error a stream failure describes: the {@code error} object of a chat stream, and the body without one. */
  static byte[] streamFailureJson(StreamFailure failure) {
    return STREAM_FAILURES.get(failure);
  }

  /** The 429 of the emulated rate limiter, worded like OpenAI's. */
  static byte[] rateLimited(boolean tokens, long limit, long retryAfterMillis) {
    String what = tokens ? "tokens" : "requests";
    return json(ErrorBody.of(
        "Rate limit reached for " + what + " per window (limit " + limit + "). Please try again in "
            + retryAfterMillis + "ms.",
        tokens ? ErrorBody.TYPE_TOKENS : ErrorBody.TYPE_REQUESTS,
        null,
        ErrorBody.CODE_RATE_LIMIT_EXCEEDED));
  }

  /** The 404 for a URL the mock does not serve. */
  static byte[] unknownUrl(String method, String path, String served) {
    return json(ErrorBody.of("Unknown request URL: " + method + " " + path + ". backoff4j-mock serves " + served + ".",
        ErrorBody.TYPE_INVALID_REQUEST, null, "unknown_url"));
  }

  /** A 400 {@code invalid_request_error}; {@code param} may be null. */
  static byte[] invalidRequest(String message, String param) {
    return json(ErrorBody.of(message, ErrorBody.TYPE_INVALID_REQUEST, param, null));
  }

  private static ErrorBody bodyFor(int status) {
    String prefix = "backoff4j-mock injected HTTP " + status + ": ";
    switch (status) {
      case 400:
        return ErrorBody.of(prefix + "bad request.", ErrorBody.TYPE_INVALID_REQUEST, null, null);
      case 403:
        return ErrorBody.of(prefix + "permission denied.", ErrorBody.TYPE_INVALID_REQUEST, null, "permission_denied");
      case 404:
        return ErrorBody.of(prefix + "not found.", ErrorBody.TYPE_INVALID_REQUEST, null, "not_found");
      case 408:
        return ErrorBody.of(prefix + "request timed out.", ErrorBody.TYPE_INVALID_REQUEST, null, null);
      case 409:
        return ErrorBody.of(prefix + "conflict, please retry.", ErrorBody.TYPE_INVALID_REQUEST, null, null);
      case 429:
        return ErrorBody.of(
            prefix + "Rate limit reached for requests. Please try again later.",
            ErrorBody.TYPE_REQUESTS,
            null,
            ErrorBody.CODE_RATE_LIMIT_EXCEEDED);
      case 500:
        return ErrorBody.of(
            prefix + "The server had an error while processing your request. Sorry about that!",
            ErrorBody.TYPE_SERVER_ERROR, null, null);
      case 503:
        return ErrorBody.of(
            prefix + "The engine is currently overloaded, please try again later.",
            ErrorBody.TYPE_SERVER_ERROR, null, null);
      default:
        return ErrorBody.of(
            prefix + "error.",
            status >= 500 ? ErrorBody.TYPE_SERVER_ERROR : ErrorBody.TYPE_INVALID_REQUEST,
            null,
            null);
    }
  }

  private static byte[] json(ErrorBody body) {
    return body.toJson().getBytes(StandardCharsets.UTF_8);
  }
}
