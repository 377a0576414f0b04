package dev.backoff4j.openai.http;

import java.net.URI;
import java.util.Objects;

/**
 * One HTTP request as the pipeline sees it, independent of any HTTP library. Immutable; interceptors
 * derive changed copies with the {@code with...} methods.
 *
 * @param method {@code GET}, {@code POST}, ...
 * @param url the absolute URL
 * @param headers request headers; credentials are added by the attempt step, not by callers
 * @param body the body, or {@code null} for none; never mutated (callers must not change the array)
 * @param streaming whether the response is a server-sent event stream: the attempt then ends at the
 *     first event instead of at the end of the body, so later failures are not retried
 */
public record Request(String method, URI url, Headers headers, byte[] body, boolean streaming) {

  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(headers, "headers");
  }

  public static Request get(URI url) {
    return new Request("GET", url, Headers.empty(), null, false);
  }

  public static Request postJson(URI url, byte[] json) {
    return new Request("POST", url, Headers.empty().with("content-type", "application/json"), json, false);
  }

  public Request withHeader(String name, String value) {
    return new Request(method, url, headers.with(name, value), body, streaming);
  }

  public Request withStreaming(boolean streaming) {
    return new Request(method, url, headers, body, streaming);
  }

  /** Method and URL only: bodies hold prompts and headers hold keys. */
  @Override
  public String toString() {
    return method + " " + url + (streaming ? " (stream)" : "");
  }
}
