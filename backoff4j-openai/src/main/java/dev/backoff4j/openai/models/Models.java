package dev.backoff4j.openai.models;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code GET /models}. Obtain it from {@link dev.backoff4j.openai.OpenAiClient#models()}. */
public interface Models {

  List<Model> list();

  CompletableFuture<List<Model>> listAsync();
}
