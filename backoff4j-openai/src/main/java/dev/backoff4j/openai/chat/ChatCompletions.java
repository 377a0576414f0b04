package dev.backoff4j.openai.chat;

import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /chat/completions}, whole or streamed, blocking or not, each call retried per the
 * client's policy. Obtain it from {@link dev.backoff4j.openai.OpenAiClient#chat()}.
 */
public interface ChatCompletions {

  /** Creates a completion. */
  ChatCompletion create(ChatRequest request);

  /** Creates a completion without blocking; cancelling the future cancels the call. */
  CompletableFuture<ChatCompletion> createAsync(ChatRequest request);

  /**
   * Opens a streamed completion once its first event has arrived (failures until then are retried);
   * see {@link ChatStream} for what happens after.
   */
  ChatStream stream(ChatRequest request);

  /**
   * Like {@link #stream}, completing when the first event has arrived. Reading the returned stream
   * blocks; do it off latency-sensitive threads.
   */
  CompletableFuture<ChatStream> streamAsync(ChatRequest request);
}
