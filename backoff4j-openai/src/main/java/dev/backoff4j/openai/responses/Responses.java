package dev.backoff4j.openai.responses;

import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /responses}, OpenAI's primary API: whole or streamed, blocking or not, each call retried
 * per the client's policy. Obtain it from {@link dev.backoff4j.openai.OpenAiClient#responses()}.
 */
public interface Responses {

  /** Creates a response. */
  ModelResponse create(ResponseRequest request);

  /** Creates a response without blocking; cancelling the future cancels the call. */
  CompletableFuture<ModelResponse> createAsync(ResponseRequest request);

  /**
   * Opens a streamed response once its first output event has arrived — failures until then, an
   * {@code error} or {@code response.failed} event included, are retried as the HTTP error they
   * describe would be; see {@link ResponseStream} for what happens after.
   */
  ResponseStream stream(ResponseRequest request);

  /**
   * Like {@link #stream}, completing when the first output event has arrived. Reading the returned
   * stream blocks; do it off latency-sensitive threads.
   */
  CompletableFuture<ResponseStream> streamAsync(ResponseRequest request);
}
