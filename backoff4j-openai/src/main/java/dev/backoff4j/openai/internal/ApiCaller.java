package dev.backoff4j.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.StreamWatch;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import dev.backoff4j.spi.Futures;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/** What every endpoint needs: URLs under the base URL, and JSON in and out through the pipeline. */
public final class ApiCaller {

  private final OpenAiPipeline pipeline;

  public ApiCaller(OpenAiPipeline pipeline) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
  }

  public OpenAiPipeline pipeline() {
    return pipeline;
  }

  public Request post(String path, Object json) {
    return Request.postJson(pipeline.url(path), Json.write(json));
  }

  public Request get(String path) {
    return Request.get(pipeline.url(path));
  }

  public <T> T call(Request request, Function<JsonNode, T> parse) {
    return read(pipeline.execute(request), parse);
  }

  /** Cancelling the returned future cancels the exchange (and so any retry or pacing wait). */
  public <T> CompletableFuture<T> callAsync(Request request, Function<JsonNode, T> parse) {
    CompletableFuture<Response> exchange = pipeline.executeAsync(request);
    return Futures.propagateCancel(exchange.thenApply(response -> read(response, parse)), exchange);
  }

  /**
   * Opens a streaming exchange (the response positioned at its first event) and hands it to
   * {@code reader} with the call's stream limits, taken when the call begins.
   */
  public <S> S stream(Request request, BiFunction<Response, StreamWatch, S> reader) {
    StreamWatch watch = pipeline.streamWatchForCall();
    return reader.apply(pipeline.execute(request.withStreaming(true)), watch);
  }

  /** As {@link #stream}; cancelling the returned future cancels the exchange. */
  public <S> CompletableFuture<S> streamAsync(Request request, BiFunction<Response, StreamWatch, S> reader) {
    StreamWatch watch = pipeline.streamWatchForCall();
    CompletableFuture<Response> exchange = pipeline.executeAsync(request.withStreaming(true));
    return Futures.propagateCancel(exchange.thenApply(response -> reader.apply(response, watch)), exchange);
  }

  private static <T> T read(Response response, Function<JsonNode, T> parse) {
    String requestId = response.headers().first(RateLimitHeaders.REQUEST_ID).orElse(null);
    JsonNode json = response.body().json().orElseThrow(() -> new MalformedResponseException(
        "body is not JSON", response.status(), requestId,
        Secrets.maskFor(response, new String(response.body().bytes(), StandardCharsets.UTF_8)),
        null));
    try {
      return parse.apply(json);
    } catch (ShapeException e) {
      throw new MalformedResponseException(e.getMessage(), response.status(), requestId,
          Secrets.maskFor(response, json.toString()), e);
    }
  }
}
