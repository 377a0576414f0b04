package dev.backoff4j.openai.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Interceptors#observe} shows of one pass through the rest of the pipeline: the request,
 * then either the response (a streaming one at its first event) or the failure, and how long it took on
 * the real clock.
 *
 * @param request the request as it went on
 * @param response the response; empty when the exchange failed
 * @param failure what it failed with (an {@link dev.backoff4j.openai.errors.OpenAiException} for any
 *     error status past the attempt step); empty when it succeeded
 * @param elapsed wall time from handing the request on to the outcome
 */
public record Exchange(Request request, Optional<Response> response, Optional<Throwable> failure, Duration elapsed) {

  public Exchange {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
