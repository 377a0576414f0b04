package dev.backoff4j.openai.models;

import dev.backoff4j.openai.internal.ApiCaller;
import dev.backoff4j.openai.internal.Nodes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@code GET /models}. Obtain it from the client. */
public final class Models {

  private final ApiCaller api;

  public Models(ApiCaller api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  public List<Model> list() {
    return api.call(api.get("/models"), json -> Nodes.list(Nodes.object(json, "model list"), "data", true, Model::from));
  }

  public CompletableFuture<List<Model>> listAsync() {
    return api.callAsync(api.get("/models"),
        json -> Nodes.list(Nodes.object(json, "model list"), "data", true, Model::from));
  }
}
