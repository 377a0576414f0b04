package dev.backoff4j.openai.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.concurrent.Futures;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.internal.ApiCaller;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@code POST /chat/completions}, whole or streamed, blocking or not. Obtain it from the client. */
public final class ChatCompletions {

  private static final String PATH = "/chat/completions";

  private final ApiCaller api;

  public ChatCompletions(ApiCaller api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  /** Creates a completion, retrying per the client's policy. */
  public ChatCompletion create(ChatRequest request) {
    return api.call(api.post(PATH, request.toJson()), ChatCompletion::from);
  }

  public CompletableFuture<ChatCompletion> createAsync(ChatRequest request) {
    return api.callAsync(api.post(PATH, request.toJson()), ChatCompletion::from);
  }

  /**
   * Opens a streamed completion once its first event has arrived (failures until then are retried);
   * see {@link ChatStream} for what happens after.
   */
  public ChatStream stream(ChatRequest request) {
    return new ChatStream(api.stream(api.post(PATH, streaming(request))), api.streamWatch());
  }

  /**
   * Like {@link #stream}, completing when the first event has arrived. Reading the returned stream
   * blocks; do it off latency-sensitive threads.
   */
  public CompletableFuture<ChatStream> streamAsync(ChatRequest request) {
    CompletableFuture<Response> exchange = api.streamAsync(api.post(PATH, streaming(request)));
    return Futures.propagateCancel(exchange.thenApply(response -> new ChatStream(response, api.streamWatch())),
        exchange);
  }

  private static ObjectNode streaming(ChatRequest request) {
    return request.toJson().put("stream", true);
  }
}
