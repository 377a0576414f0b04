package dev.backoff4j.openai.sdk.internal;

import dev.backoff4j.spi.Futures;
import com.openai.core.RequestOptions;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.OpenAiPipeline;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The SDK's {@link HttpClient} seen by {@code ClientOptions}: each SDK call runs through the client's one
 * {@link OpenAiPipeline}, whose transport is an {@link SdkTransport} over the SDK's own OkHttp client;
 * the call's {@link RequestOptions} ride on the request as its tag. The SDK's own retries must be off
 * ({@code maxRetries(0)}), so each call reaches here once.
 *
 * <ul>
 *   <li>success → the response, its body buffered (or a stream at its start);
 *   <li>a final error response → rebuilt, so the SDK throws its own typed exception;
 *   <li>a final network failure or timeout → {@link OpenAIIoException} caused by backoff4j's
 *       exception, which carries the {@link dev.backoff4j.retry.RetryHistory};
 *   <li>a body that is not repeatable (a file upload from a stream) → passed to the SDK's client
 *       once, untouched, as the SDK's own retry logic does.
 * </ul>
 *
 * <p>It names no type an SDK release may lack, so it links on every supported SDK. WebSocket support
 * (openai-java-core 4.65.0+) is {@link WebSocketBridgeHttpClient}, a wrapper {@link #forSdk()} adds
 * only when the SDK has {@code WebSocketClient}.
 */
public final class BridgeHttpClient implements HttpClient {

  private final HttpClient delegate;
  private final OpenAiPipeline pipeline;

  /**
   * @param delegate the SDK's own client: non-repeatable bodies and WebSockets go to it directly
   * @param pipeline the pipeline every other call runs through, its transport over {@code delegate}
   */
  public BridgeHttpClient(HttpClient delegate, OpenAiPipeline pipeline) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
  }

  public OpenAiPipeline pipeline() {
    return pipeline;
  }

  /** The SDK's own client this bridge sends to. */
  HttpClient delegate() {
    return delegate;
  }

  /**
   * The client to hand to {@code ClientOptions.Builder.httpClient}: this bridge, seen by the SDK as a
   * {@code WebSocketClient} too when the SDK on the class path has that interface (4.65.0+). The SDK
   * finds WebSocket support by {@code instanceof}; an SDK without the interface never asks for it.
   */
  public HttpClient forSdk() {
    return WebSocketSupport.offeredBy(this);
  }

  @Override
  public HttpResponse execute(HttpRequest request, RequestOptions options) {
    HttpRequestBody body = request.body();
    if (body != null && !body.repeatable()) {
      return delegate.execute(request, options);
    }
    try {
      return SdkResponses.success(pipeline.execute(toPipeline(request, options)));
    } catch (RuntimeException e) {
      return recover(e);
    } finally {
      closeQuietly(body);
    }
  }

  @Override
  public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
    HttpRequestBody body = request.body();
    if (body != null && !body.repeatable()) {
      return delegate.executeAsync(request, options);
    }
    CompletableFuture<dev.backoff4j.openai.http.Response> execution;
    try {
      execution = pipeline.executeAsync(toPipeline(request, options));
    } catch (RuntimeException e) {
      closeQuietly(body);
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    execution.whenComplete((response, failure) -> {
      closeQuietly(body);
      if (failure == null) {
        HttpResponse success = SdkResponses.success(response);
        if (!result.complete(success)) {
          success.close(); // the caller already cancelled
        }
        return;
      }
      try {
        result.complete(recover(Futures.unwrap(failure)));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return Futures.propagateCancel(result, execution);
  }

  private static dev.backoff4j.openai.http.Request toPipeline(HttpRequest request, RequestOptions options) {
    return SdkRequests.fromSdk(request).withTag(RequestOptions.class, options);
  }

  /** A final error response for the SDK to raise, or the SDK's I/O exception; anything else as is. */
  private static HttpResponse recover(Throwable failure) {
    if (failure instanceof OpenAiHttpException http) {
      return SdkResponses.failure(http);
    }
    if (failure instanceof OpenAiConnectionException || failure instanceof OpenAiTimeoutException) {
      throw new OpenAIIoException(failure.getMessage(), failure);
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new CompletionException(failure);
  }

  private static void closeQuietly(HttpRequestBody body) {
    if (body != null) {
      try {
        body.close();
      } catch (RuntimeException ignored) {
        // the request is over; a body that fails to close changes nothing
      }
    }
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "BridgeHttpClient[" + pipeline + "]";
  }
}
