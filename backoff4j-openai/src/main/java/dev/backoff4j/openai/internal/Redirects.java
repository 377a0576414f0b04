package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.errors.ApiError;

/**
 * Says what a redirect is, since it is never followed: the request carries the API key, which must
 * not reach another origin (and an API whose base URL moved should be configured, not chased). The
 * message names the status and the {@code Location}:
 * {@code 307: redirect to https://example.com/v1/chat/completions, not followed (backoff4j does not
 * follow redirects: the request carries the API key; set the base URL to where the API is)}.
 */
public final class Redirects {

  private Redirects() {}

  /** A 3xx status. */
  public static boolean isRedirect(ApiError error) {
    return error.status() >= 300 && error.status() < 400;
  }

  /**
   * {@code error} with a message that says where it points and that it was not followed.
   *
   * @param secrets the request's credentials, masked should the {@code Location} echo one
   */
  public static ApiError describe(ApiError error, Iterable<String> secrets) {
    String location = error.headers().first("location").map(String::trim).filter(l -> !l.isEmpty())
        .map(l -> Secrets.mask(l, secrets)).orElse(null);
    String message = (location == null ? "redirect without a Location" : "redirect to " + location)
        + ", not followed (backoff4j does not follow redirects: the request carries the API key; set the base URL "
        + "to where the API is)" + (error.message() == null || error.message().isBlank() ? "" : "; " + error.message());
    return new ApiError(error.status(), error.headers(), error.body(), error.type(), error.code(), error.param(),
        message, error.requestId(), error.rateLimits(), error.hint());
  }
}
