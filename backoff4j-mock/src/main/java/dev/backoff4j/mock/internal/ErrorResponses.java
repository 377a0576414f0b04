package dev.backoff4j.mock.internal;

import dev.backoff4j.openai.spi.ErrorBody;

/** OpenAI-shaped error bodies for each status the mock sends. */
public final class ErrorResponses {
  private ErrorResponses() {}

  /** The body OpenAI would plausibly send with {@code status}, marked as injected by the mock. */
  public static ErrorBody forStatus(int status) {
    String prefix = "backoff4j-mock injected HTTP " + status + ": ";
    switch (status) {
      case 400:
        return ErrorBody.of(prefix + "bad request.", ErrorBody.TYPE_INVALID_REQUEST, null, null);
      case 401:
        return unauthorized();
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

  /** The 401 for a missing or wrong key. */
  public static ErrorBody unauthorized() {
    return ErrorBody.of(
        "Incorrect API key provided. backoff4j-mock requires the key configured in its scenario.",
        ErrorBody.TYPE_INVALID_REQUEST,
        null,
        "invalid_api_key");
  }

  /** The 429 for an exhausted billing quota. */
  public static ErrorBody insufficientQuota() {
    return ErrorBody.of(
        "You exceeded your current quota, please check your plan and billing details.",
        ErrorBody.CODE_INSUFFICIENT_QUOTA,
        null,
        ErrorBody.CODE_INSUFFICIENT_QUOTA);
  }

  /** The 429 of the emulated rate limiter, worded like OpenAI's. */
  public static ErrorBody rateLimited(boolean tokens, long limit, long retryAfterMillis) {
    String what = tokens ? "tokens" : "requests";
    return ErrorBody.of(
        "Rate limit reached for " + what + " per window (limit " + limit + "). Please try again in "
            + retryAfterMillis + "ms.",
        tokens ? ErrorBody.TYPE_TOKENS : ErrorBody.TYPE_REQUESTS,
        null,
        ErrorBody.CODE_RATE_LIMIT_EXCEEDED);
  }

  /** An nginx-style 502 page, as a reverse proxy sends when its upstream is gone. */
  public static final String HTML_502 =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
          + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
          + "</body>\r\n</html>\r\n";

  /** A body that starts like a chat completion and stops mid-way: not parseable JSON. */
  public static final String MALFORMED_JSON =
      "{\"id\":\"chatcmpl-malformed\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"Hel";
}
