package dev.backoff4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.chat.ChatCompletions;
import dev.backoff4j.openai.embeddings.Embeddings;
import dev.backoff4j.openai.http.Pipeline;
import dev.backoff4j.openai.internal.ApiCaller;
import dev.backoff4j.openai.models.Models;
import dev.backoff4j.retry.RetryPolicy;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A lean client for OpenAI-compatible APIs (OpenAI, Azure OpenAI, vLLM, Ollama, gateways) whose every
 * call runs under a retry policy that knows OpenAI's error semantics.
 *
 * <pre>{@code
 * OpenAiClient client = OpenAiClient.builder().build();   // $OPENAI_API_KEY, $OPENAI_BASE_URL
 * ChatCompletion reply = client.chat().create(
 *     ChatRequest.of("gpt-4o-mini", ChatMessage.user("Say hi")));
 * System.out.println(reply.text());
 * }</pre>
 *
 * <p>Immutable and thread-safe; share one per configuration (it owns a connection pool and a retry
 * budget). Derive variants with {@link #toBuilder()}.
 */
public final class OpenAiClient {

  private final OpenAiClientBuilder settings;
  private final String baseUrl;
  private final RetryPolicy<Object> retryPolicy;
  private final ApiCaller api;
  private final ChatCompletions chat;
  private final Embeddings embeddings;
  private final Models models;

  OpenAiClient(OpenAiClientBuilder settings, String baseUrl, RetryPolicy<Object> retryPolicy, ApiCaller api) {
    this.settings = settings;
    this.baseUrl = baseUrl;
    this.retryPolicy = retryPolicy;
    this.api = api;
    this.chat = new ChatCompletions(api);
    this.embeddings = new Embeddings(api);
    this.models = new Models(api);
  }

  public static OpenAiClientBuilder builder() {
    return new OpenAiClientBuilder();
  }

  /** A builder with this client's settings. A default retry policy is rebuilt, with a fresh budget. */
  public OpenAiClientBuilder toBuilder() {
    return settings.copy();
  }

  /** Same as {@link #toBuilder()}, in OkHttp's words. */
  public OpenAiClientBuilder newBuilder() {
    return toBuilder();
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

  /**
   * POSTs {@code json} (a {@link JsonNode} or anything Jackson can write) to {@code path} under the
   * base URL, with the same retries, and returns the response JSON. For endpoints without a typed
   * method ({@code /batches}, {@code /responses}, ...).
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
    return api.url(path);
  }

  /** The request pipeline, for running other requests the same way. */
  public Pipeline pipeline() {
    return api.pipeline();
  }

  public RetryPolicy<Object> retryPolicy() {
    return retryPolicy;
  }

  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public String toString() {
    return "OpenAiClient[" + baseUrl + ", " + settings.describeAuth() + "]";
  }
}
