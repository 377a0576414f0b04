package dev.backoff4j.openai.errors;

import dev.backoff4j.openai.headers.RateLimits;
import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.openai.http.Headers;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything known about one non-2xx response: the raw status, headers and (size-bounded) body
 * bytes, so an equivalent response can be rebuilt for another client, plus what was read from them.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the response body as received, possibly cut at the read limit, with the request's
 *     credentials masked (as every field read from it)
 * @param type the error {@code type}, or {@code null}
 * @param code the error {@code code}, or {@code null}
 * @param param the request parameter at fault, or {@code null}
 * @param message the server's message, or {@code null}
 * @param requestId the {@code x-request-id} header, or {@code null}
 * @param rateLimits the {@code x-ratelimit-*} snapshot
 * @param hint the server's retry hint, if any was usable
 */
public record ApiError(int status, Headers headers, byte[] body, String type, String code, String param,
    String message, String requestId, RateLimits rateLimits, Optional<ServerHint> hint) {

  public ApiError {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(rateLimits, "rateLimits");
    Objects.requireNonNull(hint, "hint");
  }

  /** {@code code}, else {@code type}, else {@code null}: the most specific machine-readable name. */
  public String codeOrType() {
    if (code != null && !code.isBlank()) {
      return code;
    }
    return type != null && !type.isBlank() ? type : null;
  }

  /** {@code 429 rate_limit_exceeded (req_abc)}: status, code or type, request id. */
  public String summary() {
    String name = codeOrType();
    return status + (name == null ? "" : " " + name) + (requestId == null ? "" : " (" + requestId + ")");
  }

  @Override
  public String toString() {
    return "ApiError[" + summary() + "]";
  }
}
