package dev.backoff4j.openai.http;

import dev.backoff4j.openai.headers.RateLimits;
import java.util.Objects;

/**
 * One HTTP response as the pipeline sees it. Past the attempt step, a non-streaming response's body is
 * buffered and a streaming one's is positioned at its first event. Immutable; what is read from it
 * ({@link #rateLimits()}, {@link ResponseBody#json()}) is read once, however many steps ask.
 */
public final class Response implements AutoCloseable {

  private final Request request;
  private final int status;
  private final Headers headers;
  private final ResponseBody body;
  private volatile RateLimits rateLimits;

  /**
   * @param request the request that produced it (after steps changed it)
   * @param status the HTTP status code
   * @param headers response headers
   * @param body the body; close it (or the response) when done with a streaming body
   */
  public Response(Request request, int status, Headers headers, ResponseBody body) {
    this.request = Objects.requireNonNull(request, "request");
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = Objects.requireNonNull(body, "body");
  }

  public Request request() {
    return request;
  }

  public int status() {
    return status;
  }

  public Headers headers() {
    return headers;
  }

  public ResponseBody body() {
    return body;
  }

  public boolean isSuccessful() {
    return status >= 200 && status < 300;
  }

  /** The {@code x-ratelimit-*} snapshot, read from the headers on first use. */
  public RateLimits rateLimits() {
    RateLimits read = rateLimits;
    if (read == null) {
      read = RateLimits.from(headers);
      rateLimits = read;
    }
    return read;
  }

  /** The same response with another body (the headers' reading is kept). */
  public Response withBody(ResponseBody newBody) {
    Response copy = new Response(request, status, headers, newBody);
    copy.rateLimits = rateLimits;
    return copy;
  }

  @Override
  public void close() {
    body.close();
  }

  @Override
  public String toString() {
    return "Response[" + status + " " + request + "]";
  }
}
