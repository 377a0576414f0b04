package dev.backoff4j.openai.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one request over the wire, with no retry, no credentials and no status check: the last link
 * of the {@link dev.backoff4j.openai.OpenAiPipeline}. The lean client uses {@link JdkHttpTransport}; other HTTP stacks (the
 * official SDK's client, say) adapt theirs.
 *
 * <p>Contract: any status is a normal response. Failures to connect or to read are thrown (or
 * completed exceptionally) as {@link dev.backoff4j.openai.errors.OpenAiConnectionException}, and
 * running out of {@code timeout} as {@link dev.backoff4j.openai.errors.OpenAiTimeoutException}, so the
 * classifier sees the same types whatever the transport. A non-streaming request's response may come
 * back buffered or streaming; a streaming request's must be a stream.
 */
public interface Transport {

  /**
   * Sends {@code request} and blocks until the response headers arrive.
   *
   * @param timeout the most the exchange may take; empty for no limit
   */
  Response execute(Request request, Optional<Duration> timeout);

  /** Sends {@code request} without blocking; cancelling the future abandons the exchange. */
  CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout);
}
