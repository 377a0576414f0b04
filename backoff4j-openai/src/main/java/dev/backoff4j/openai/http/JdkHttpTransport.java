package dev.backoff4j.openai.http;

import dev.backoff4j.spi.Futures;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Transport} on {@link java.net.http.HttpClient}: keep-alive connection pooling, HTTP/2 where
 * the server offers it (else HTTP/1.1), non-blocking I/O.
 *
 * <p>A non-streaming exchange is read in full under {@code timeout} (headers and body), so a server
 * that stalls mid-body cannot hang the caller. A streaming exchange's {@code timeout} covers the wait
 * for the response headers; reading the stream is the caller's business.
 */
public final class JdkHttpTransport implements Transport {

  // java.net.http sets these itself and refuses them from callers.
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpClient client;

  public JdkHttpTransport(HttpClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** A client with the given connect timeout, HTTP/2 preferred, redirects not followed. */
  public static JdkHttpTransport create(Duration connectTimeout) {
    return new JdkHttpTransport(HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_2)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build());
  }

  public HttpClient client() {
    return client;
  }

  @Override
  public Response execute(Request request, Optional<Duration> timeout) {
    if (request.streaming()) {
      try {
        return toResponse(request, client.send(toHttpRequest(request, timeout), HttpResponse.BodyHandlers.ofInputStream()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OpenAiConnectionException("interrupted while waiting for the response", e);
      } catch (IOException e) {
        throw translate(e, timeout);
      }
    }
    CompletableFuture<Response> future = executeAsync(request, Optional.empty());
    try {
      return timeout.isPresent() ? future.get(timeout.get().toNanos(), TimeUnit.NANOSECONDS) : future.get();
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new OpenAiTimeoutException(timeout.get(), e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new OpenAiConnectionException("interrupted while waiting for the response", e);
    } catch (ExecutionException e) {
      throw translate(e.getCause(), timeout);
    }
  }

  @Override
  public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
    HttpRequest httpRequest;
    try {
      httpRequest = toHttpRequest(request, timeout);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // The future sendAsync returns is the only one whose cancellation aborts the exchange.
    CompletableFuture<? extends HttpResponse<?>> exchange = request.streaming()
        ? client.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofInputStream())
        : client.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    CompletableFuture<Response> result = new CompletableFuture<>();
    exchange.whenComplete((response, failure) -> {
      if (failure != null) {
        result.completeExceptionally(translate(failure, timeout));
      } else if (!result.complete(toResponse(request, response))) {
        closeQuietly(response); // the caller cancelled or gave up meanwhile
      }
    });
    timeout.ifPresent(limit -> result.orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS));
    result.whenComplete((response, failure) -> {
      if (failure != null) {
        exchange.cancel(true); // caller cancelled or gave up waiting: abandon the exchange
      }
    });
    return Futures.propagateCancel(result.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
        failure instanceof TimeoutException ? new OpenAiTimeoutException(timeout.orElse(null), failure) : failure)),
        result);
  }

  private static void closeQuietly(HttpResponse<?> response) {
    if (response.body() instanceof InputStream stream) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // nobody reads this response; closing only releases the connection
      }
    }
  }

  private static HttpRequest toHttpRequest(Request request, Optional<Duration> timeout) {
    HttpRequest.BodyPublisher body = request.body() == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(request.body());
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.url()).method(request.method(), body);
    request.headers().toMap().forEach((name, values) -> {
      if (!RESTRICTED.contains(name)) {
        values.forEach(value -> builder.header(name, value));
      }
    });
    timeout.ifPresent(builder::timeout);
    return builder.build();
  }

  private static Response toResponse(Request request, HttpResponse<?> response) {
    Map<String, List<String>> headers = response.headers().map();
    ResponseBody body = response.body() instanceof byte[] bytes
        ? ResponseBody.of(bytes)
        : ResponseBody.of((InputStream) response.body());
    return new Response(request, response.statusCode(), Headers.of(headers), body);
  }

  private static RuntimeException translate(Throwable failure, Optional<Duration> timeout) {
    Throwable cause = Futures.unwrap(failure);
    if (cause instanceof OpenAiException openAi) {
      return openAi;
    }
    if (cause instanceof CancellationException cancelled) {
      return cancelled;
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new OpenAiConnectionException("connect timed out: " + cause.getMessage(), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new OpenAiTimeoutException(timeout.orElse(null), cause);
    }
    if (cause instanceof ConnectException) {
      return new OpenAiConnectionException("connection refused: " + cause, cause);
    }
    if (cause instanceof IOException) {
      return new OpenAiConnectionException("connection failed: " + cause, cause);
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new OpenAiConnectionException("request failed: " + cause, cause);
  }

  @Override
  public String toString() {
    return "JdkHttpTransport[" + client.version() + "]";
  }
}
