package dev.backoff4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.chat.ChatCompletions;
import dev.backoff4j.openai.embeddings.Embeddings;
import dev.backoff4j.openai.internal.ApiCaller;
import dev.backoff4j.openai.internal.LeanEndpoints;
import dev.backoff4j.openai.models.Models;
import dev.backoff4j.openai.responses.Responses;
import dev.backoff4j.retry.RetryPolicy;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A lean client for OpenAI-compatible APIs (OpenAI, Azure OpenAI, vLLM, Ollama, gateways) whose every
 * call runs through an {@link OpenAiPipeline}: a retry policy that knows OpenAI's error semantics,
 * optional pacing, typed errors.
 *
 * <pre>{@code
 * OpenAiClient client = OpenAiClient.builder().build();   // $OPENAI_API_KEY, $OPENAI_BASE_URL
 * ChatCompletion reply = client.chat().create(
 *     ChatRequest.of("gpt-4o-mini", ChatMessage.user("Say hi")));
 * System.out.println(reply.text());
 * }</pre>
 *
 * <p>Immutable and thread-safe; share one per configuration (it owns a connection pool and a retry
 * budget). {@link #newBuilder()} derives a variant sharing the connection pool.
 */
public final class OpenAiClient {

  private final OpenAiPipeline pipeline;
  private final ApiCaller api;
  private final ChatCompletions chat;
  private final Embeddings embeddings;
  private final Models models;
  private final Responses responses;

  OpenAiClient(OpenAiPipeline pipeline) {
    this.pipeline = pipeline;
    this.api = new ApiCaller(pipeline);
    this.chat = LeanEndpoints.chat(api);
    this.embeddings = LeanEndpoints.embeddings(api);
    this.models = LeanEndpoints.models(api);
    this.responses = LeanEndpoints.responses(api);
  }

  public static OpenAiClientBuilder builder() {
    return new OpenAiClientBuilder(OpenAiPipeline.builder());
  }

  /**
   * A builder with this client's settings that keeps its transport (and so its connection pool), in
   * OkHttp's manner; the derived client gets its own retry budget.
   */
  public OpenAiClientBuilder newBuilder() {
    return new OpenAiClientBuilder(pipeline.newBuilder());
  }

  /** Same as {@link #newBuilder()}. */
  public OpenAiClientBuilder toBuilder() {
    return newBuilder();
  }

  public ChatCompletions chat() {
    return chat;
  }

  public Embeddings embeddings() {
    return embeddings;
  }

  public Models models() {
    return models;
  }

  /** The Responses API, {@code POST /responses}: OpenAI's primary endpoint. */
  public Responses responses() {
    return responses;
  }

  /**
   * POSTs {@code json} (a {@link JsonNode} or anything Jackson can write) to {@code path} under the
   * base URL, with the same retries, and returns the response JSON. For endpoints without a typed
   * method ({@code /batches}, ...).
   *
   * @throws dev.backoff4j.openai.errors.MalformedResponseException if the response is not JSON
   */
  public JsonNode post(String path, Object json) {
    return api.call(api.post(path, json), Function.identity());
  }

  public CompletableFuture<JsonNode> postAsync(String path, Object json) {
    return api.callAsync(api.post(path, json), Function.identity());
  }

  /** GETs {@code path} under the base URL and returns the response JSON. */
  public JsonNode get(String path) {
    return api.call(api.get(path), Function.identity());
  }

  /**
   * The URL of {@code path} (such as {@code /chat/completions}) under the base URL, with Azure's
   * {@code api-version} when configured: what to send through {@link #pipeline()}.
   */
  public URI url(String path) {
    return pipeline.url(path);
  }

  /** The request pipeline, for running other requests the same way. */
  public OpenAiPipeline pipeline() {
    return pipeline;
  }

  public RetryPolicy<Object> retryPolicy() {
    return pipeline.retryPolicy();
  }

  public String baseUrl() {
    return pipeline.baseUrl();
  }

  @Override
  public String toString() {
    return "OpenAiClient[" + pipeline.endpoint() + "]";
  }
}
