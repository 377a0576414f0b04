package dev.backoff4j.openai.sdk.internal;

import dev.backoff4j.spi.Futures;
import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.http.Transport;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The SDK's own HTTP client (its OkHttp transport) as the last link of backoff4j's pipeline: one
 * exchange per call, no retry. Network failures ({@link OpenAIIoException}) become
 * {@link OpenAiConnectionException}, and timeouts {@link OpenAiTimeoutException}, as the
 * {@link Transport} contract asks.
 *
 * <p>Timeouts: the SDK call's own {@link Timeout} (from {@code ClientOptions} or the call's
 * {@code RequestOptions}), each part cut to the attempt's share of the deadline. For a stream the
 * whole-call limit is left as the SDK set it (the attempt ends at the first event, the stream may
 * run on) and the attempt's share bounds the silence between reads.
 *
 * <p>Each call's options travel on the request as its {@link RequestOptions} tag (none: the
 * client's defaults).
 */
public final class SdkTransport implements Transport {

  private final HttpClient delegate;

  public SdkTransport(HttpClient delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public Response execute(Request request, Optional<Duration> timeout) {
    try {
      return toResponse(request, delegate.execute(SdkRequests.toSdk(request), optionsFor(request, timeout)));
    } catch (OpenAIIoException e) {
      Throwable translated = translate(e, timeout);
      if (translated instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) translated;
    }
  }

  @Override
  public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
    CompletableFuture<HttpResponse> sent;
    try {
      sent = delegate.executeAsync(SdkRequests.toSdk(request), optionsFor(request, timeout));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(translate(e, timeout));
    }
    CompletableFuture<Response> result = new CompletableFuture<>();
    sent.whenComplete((response, failure) -> {
      if (failure != null) {
        result.completeExceptionally(translate(failure, timeout));
      } else if (!result.complete(toResponse(request, response))) {
        response.close(); // the caller already cancelled
      }
    });
    return Futures.propagateCancel(result, sent); // the SDK's OkHttp client cancels the call
  }

  /** The call's options with its timeouts cut to the attempt's share. */
  RequestOptions optionsFor(Request request, Optional<Duration> attempt) {
    RequestOptions options = request.tag(RequestOptions.class).orElseGet(RequestOptions::none);
    if (attempt.isEmpty()) {
      return options;
    }
    Duration limit = attempt.get();
    Timeout base = options.getTimeout() != null ? options.getTimeout() : Timeout.builder().build();
    Timeout timeout = Timeout.builder()
        .connect(min(base.connect(), limit))
        .write(min(base.write(), limit))
        .read(min(base.read(), limit))
        .request(request.streaming() ? base.request() : min(base.request(), limit))
        .build();
    // Ours first, the rest (response validation, telemetry) from the call's options.
    return RequestOptions.builder().timeout(timeout).build().applyDefaults(options);
  }

  /** The smaller limit; the SDK's zero means none. */
  private static Duration min(Duration sdk, Duration attempt) {
    return sdk.isZero() || attempt.compareTo(sdk) < 0 ? attempt : sdk;
  }

  private static Response toResponse(Request request, HttpResponse response) {
    // Closing the body stream releases the SDK's response (and with it the connection).
    ResponseBody body = ResponseBody.of(new FilterInputStream(response.body()) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          response.close();
        }
      }
    });
    return new Response(request, response.statusCode(), SdkHeaders.fromSdk(response.headers()), body);
  }

  /** The {@link Transport} contract's types; an {@link Error}, even one wrapped in an I/O failure, as itself. */
  private static Throwable translate(Throwable failure, Optional<Duration> timeout) {
    Throwable cause = Futures.unwrap(failure);
    int depth = 0;
    for (Throwable t = cause; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof Error error) {
        return error; // out of memory is not a network failure to retry
      }
    }
    if (!(cause instanceof OpenAIIoException)) {
      return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
    Throwable io = cause.getCause() != null ? cause.getCause() : cause;
    // OkHttp reports its call timeout as InterruptedIOException("timeout"), read and connect
    // timeouts as SocketTimeoutException (a subclass).
    if (io instanceof InterruptedIOException) {
      return new OpenAiTimeoutException(timeout.orElse(null), cause);
    }
    return new OpenAiConnectionException("connection failed: " + io, cause);
  }

  @Override
  public String toString() {
    return "SdkTransport[" + delegate.getClass().getSimpleName() + "]";
  }
}
