package dev.backoff4j.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.concurrent.Futures;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.http.Pipeline;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.protocol.RateLimitHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** What every endpoint needs: URLs under the base URL, and JSON in and out through the pipeline. */
public final class ApiCaller {

  private final String baseUrl;
  private final String apiVersion;
  private final Pipeline pipeline;
  private final StreamWatch streamWatch;

  /**
   * @param baseUrl e.g. {@code https://api.openai.com/v1}, without a trailing slash
   * @param apiVersion Azure's {@code api-version} query parameter, or {@code null}
   * @param streamWatch how long a stream may go without an event
   */
  public ApiCaller(String baseUrl, String apiVersion, Pipeline pipeline, StreamWatch streamWatch) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.apiVersion = apiVersion;
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.streamWatch = Objects.requireNonNull(streamWatch, "streamWatch");
  }

  public StreamWatch streamWatch() {
    return streamWatch;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** The URL of {@code path} ({@code /chat/completions}) under the base URL. */
  public URI url(String path) {
    String joined = baseUrl + (path.startsWith("/") ? path : "/" + path);
    if (apiVersion != null) {
      joined += (joined.contains("?") ? "&" : "?") + "api-version=" + apiVersion;
    }
    return URI.create(joined);
  }

  public Request post(String path, Object json) {
    return Request.postJson(url(path), Json.write(json));
  }

  public Request get(String path) {
    return Request.get(url(path));
  }

  public <T> T call(Request request, Function<JsonNode, T> parse) {
    return read(pipeline.execute(request), parse);
  }

  /** Cancelling the returned future cancels the exchange (and so any retry or pacing wait). */
  public <T> CompletableFuture<T> callAsync(Request request, Function<JsonNode, T> parse) {
    CompletableFuture<Response> exchange = pipeline.executeAsync(request);
    return Futures.propagateCancel(exchange.thenApply(response -> read(response, parse)), exchange);
  }

  /** Opens a streaming exchange; the response is positioned at its first event. */
  public Response stream(Request request) {
    return pipeline.execute(request.withStreaming(true));
  }

  public CompletableFuture<Response> streamAsync(Request request) {
    return pipeline.executeAsync(request.withStreaming(true));
  }

  private static <T> T read(Response response, Function<JsonNode, T> parse) {
    byte[] body = response.body().bytes();
    String requestId = response.headers().first(RateLimitHeaders.REQUEST_ID).orElse(null);
    JsonNode json = Json.tryParse(body).orElseThrow(() -> new MalformedResponseException(
        "body is not JSON", response.status(), requestId, new String(body, StandardCharsets.UTF_8), null));
    try {
      return parse.apply(json);
    } catch (ShapeException e) {
      throw new MalformedResponseException(e.getMessage(), response.status(), requestId, json.toString(), e);
    }
  }
}
