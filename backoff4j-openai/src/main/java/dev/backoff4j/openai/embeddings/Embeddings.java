package dev.backoff4j.openai.embeddings;

import dev.backoff4j.openai.internal.ApiCaller;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@code POST /embeddings}. Obtain it from the client. */
public final class Embeddings {

  private final ApiCaller api;

  public Embeddings(ApiCaller api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  public EmbeddingResponse create(EmbeddingRequest request) {
    return api.call(api.post("/embeddings", request.toJson()), EmbeddingResponse::from);
  }

  public CompletableFuture<EmbeddingResponse> createAsync(EmbeddingRequest request) {
    return api.callAsync(api.post("/embeddings", request.toJson()), EmbeddingResponse::from);
  }
}
