package dev.backoff4j.openai.http;

import java.util.Objects;

/**
 * One HTTP response as the pipeline sees it. Past the attempt step, a non-streaming response's body is
 * buffered and a streaming one's is positioned at its first event.
 *
 * @param request the request that produced it (after interceptors changed it)
 * @param status the HTTP status code
 * @param headers response headers
 * @param body the body; close it (or the response) when done with a streaming body
 */
public record Response(Request request, int status, Headers headers, ResponseBody body) implements AutoCloseable {

  public Response {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }

  public boolean isSuccessful() {
    return status >= 200 && status < 300;
  }

  public Response withBody(ResponseBody newBody) {
    return new Response(request, status, headers, newBody);
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
