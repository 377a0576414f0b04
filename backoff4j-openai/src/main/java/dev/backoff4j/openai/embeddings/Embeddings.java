package dev.backoff4j.openai.embeddings;

import java.util.concurrent.CompletableFuture;

/** {@code POST /embeddings}. Obtain it from {@link dev.backoff4j.openai.OpenAiClient#embeddings()}. */
public interface Embeddings {

  EmbeddingResponse create(EmbeddingRequest request);

  CompletableFuture<EmbeddingResponse> createAsync(EmbeddingRequest request);
}
