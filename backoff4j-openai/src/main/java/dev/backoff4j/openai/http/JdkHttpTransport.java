package dev.backoff4j.openai.http;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.internal.ResponseCheckStep;
import dev.backoff4j.openai.spi.ErrorResponses;
import dev.backoff4j.openai.spi.ResponseSizeLimit;
import dev.backoff4j.spi.Futures;
import java.io.FilterInputStream;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Transport} on {@link java.net.http.HttpClient}: keep-alive connection pooling, HTTP/2 where
 * the server offers it (else HTTP/1.1), non-blocking I/O, redirects never followed.
 *
 * <p><b>Exchanges per host.</b> At most {@link Builder#maxConnectionsPerHost} exchanges are in flight
 * to one origin at a time (default {@value #DEFAULT_MAX_CONNECTIONS_PER_HOST}); more wait in line,
 * without a thread, and start as earlier ones end. java.net.http itself has no such limit: 10,000
 * concurrent calls would otherwise open thousands of HTTP/1.1 connections (and leave them idle in its
 * pool afterwards). Over HTTP/2 the exchanges share a connection and the limit bounds streams. A
 * streaming exchange holds its place until its body is closed or read to the end: close every stream.
 * A waiting call's timeout runs while it waits, and cancelling it takes it out of the line.
 *
 * <p><b>Timeouts.</b> A non-streaming exchange is read in full under {@code timeout} (headers and
 * body), so a server that stalls mid-body cannot hang the caller. A streaming exchange's
 * {@code timeout} covers the wait for the response headers; reading the stream is the caller's
 * business.
 *
 * <p><b>Size.</b> A non-streaming body is buffered up to the request's {@link ResponseSizeLimit}; a
 * success larger than that (by its {@code Content-Length}, or found while reading) fails with a
 * {@link dev.backoff4j.openai.errors.MalformedResponseException} as soon as it is known, and an error
 * status keeps its first {@link ErrorResponses#MAX_ERROR_BODY_BYTES}. An {@link Error} (out of memory)
 * is passed on as it is, never as a retryable connection failure.
 */
public final class JdkHttpTransport implements Transport {

  /**
   * Exchanges in flight per origin unless {@link Builder#maxConnectionsPerHost} says otherwise: 64. Enough
   * for the throughput one API key gets from a rate-limited API (64 calls of 2 s each are 1,920 a
   * minute; raise it for more), few enough to stay far under the usual limit of 1,024 open files and
   * well under what one server accepts from one client.
   */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 64;

  // java.net.http sets these itself and refuses them from callers.
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpClient client;
  private final HostLimiter limiter;

  /** Over {@code client}, with the default {@value #DEFAULT_MAX_CONNECTIONS_PER_HOST} exchanges per host. */
  public JdkHttpTransport(HttpClient client) {
    this(client, DEFAULT_MAX_CONNECTIONS_PER_HOST);
  }

  private JdkHttpTransport(HttpClient client, int maxConnectionsPerHost) {
    this.client = Objects.requireNonNull(client, "client");
    this.limiter = new HostLimiter(maxConnectionsPerHost);
  }

  /** A client with the given connect timeout, HTTP/2 preferred, redirects not followed. */
  public static JdkHttpTransport create(Duration connectTimeout) {
    return builder().connectTimeout(connectTimeout).build();
  }

  /** Settings of a transport over a new {@link HttpClient}. */
  public static Builder builder() {
    return new Builder();
  }

  public HttpClient client() {
    return client;
  }

  /** The most exchanges in flight to one origin; more wait in line. */
  public int maxConnectionsPerHost() {
    return limiter.maxPerHost();
  }

  @Override
  public Response execute(Request request, Optional<Duration> timeout) {
    CompletableFuture<Response> future = executeAsync(request, timeout);
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new OpenAiConnectionException("interrupted while waiting for the response", e);
    } catch (ExecutionException e) {
      Throwable failure = Futures.unwrap(e);
      if (failure instanceof Error error) {
        throw error;
      }
      throw failure instanceof RuntimeException runtime ? runtime
          : new OpenAiConnectionException("request failed: " + failure, failure);
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
    CompletableFuture<Response> result = new CompletableFuture<>();
    AtomicReference<CompletableFuture<? extends HttpResponse<?>>> exchange = new AtomicReference<>();
    CompletableFuture<HostLimiter.Permit> place = limiter.acquire(request.url());
    place.thenAccept(permit -> send(request, httpRequest, timeout, permit, result, exchange));
    // The timeout counts from here: a call waiting for its place in line waits against it.
    timeout.ifPresent(limit -> result.orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS));
    result.whenComplete((response, failure) -> {
      if (failure != null) {
        place.cancel(false); // still in line: leave it
        CompletableFuture<? extends HttpResponse<?>> sent = exchange.get();
        if (sent != null) {
          sent.cancel(true); // caller cancelled or gave up waiting: abandon the exchange
        }
      }
    });
    return Futures.propagateCancel(result.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
        failure instanceof TimeoutException ? new OpenAiTimeoutException(timeout.orElse(null), failure) : failure)),
        result);
  }

  private void send(Request request, HttpRequest httpRequest, Optional<Duration> timeout, HostLimiter.Permit permit,
      CompletableFuture<Response> result, AtomicReference<CompletableFuture<? extends HttpResponse<?>>> exchange) {
    if (result.isDone()) {
      permit.release(); // cancelled or timed out while in line
      return;
    }
    CompletableFuture<? extends HttpResponse<?>> sent;
    try {
      // The future sendAsync returns is the only one whose cancellation aborts the exchange.
      sent = request.streaming()
          ? client.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofInputStream())
          : client.sendAsync(httpRequest,
              BoundedBody.handler(ResponseSizeLimit.of(request), ErrorResponses.MAX_ERROR_BODY_BYTES));
    } catch (RuntimeException | Error e) {
      permit.release();
      result.completeExceptionally(e);
      return;
    }
    exchange.set(sent);
    if (result.isDone()) {
      sent.cancel(true);
    }
    sent.whenComplete((response, failure) -> {
      if (failure != null) {
        permit.release();
        result.completeExceptionally(translate(failure, timeout));
        return;
      }
      Response converted = toResponse(request, response, permit);
      if (!result.complete(converted)) {
        converted.close(); // the caller cancelled or gave up meanwhile
      }
    });
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

  /** A buffered body gives its place back at once; a stream when it is closed or read to its end. */
  private static Response toResponse(Request request, HttpResponse<?> response, HostLimiter.Permit permit) {
    Map<String, List<String>> headers = response.headers().map();
    ResponseBody body;
    if (response.body() instanceof byte[] bytes) {
      permit.release();
      body = ResponseBody.of(bytes);
    } else {
      body = ResponseBody.of(new ReleasingStream((InputStream) response.body(), permit));
    }
    return new Response(request, response.statusCode(), Headers.of(headers), body);
  }

  /** A stream that gives its exchange's place back when closed or read to the end. */
  private static final class ReleasingStream extends FilterInputStream {
    private final HostLimiter.Permit permit;

    ReleasingStream(InputStream in, HostLimiter.Permit permit) {
      super(in);
      this.permit = permit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b < 0) {
        permit.release();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = in.read(buffer, offset, length);
      if (read < 0) {
        permit.release();
      }
      return read;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        permit.release();
      }
    }
  }

  /** What java.net.http failed with, as the {@link Transport} contract's types; an {@link Error} as itself. */
  private static Throwable translate(Throwable failure, Optional<Duration> timeout) {
    Throwable cause = Futures.unwrap(failure);
    Error error = errorIn(cause);
    if (error != null) {
      return error;
    }
    if (cause instanceof OpenAiException openAi) {
      return openAi;
    }
    if (cause instanceof CancellationException cancelled) {
      return cancelled;
    }
    BoundedBody.TooLargeException tooLarge = tooLargeIn(cause);
    if (tooLarge != null) {
      return ResponseCheckStep.tooLarge(tooLarge.status, tooLarge.requestId, tooLarge.limit);
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

  /** An {@link Error} the failure is or was caused by (java.net.http wraps some in an IOException). */
  private static Error errorIn(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof Error error) {
        return error;
      }
    }
    return null;
  }

  private static BoundedBody.TooLargeException tooLargeIn(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof BoundedBody.TooLargeException tooLarge) {
        return tooLarge;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "JdkHttpTransport[" + client.version() + ", " + limiter.maxPerHost() + " per host]";
  }

  /**
   * Settings of a {@link JdkHttpTransport} over a new {@link HttpClient}. Each setter checks its value
   * and throws an {@link InvalidSettingException} naming itself. Reusable; not thread-safe.
   */
  public static final class Builder {

    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxConnectionsPerHost = DEFAULT_MAX_CONNECTIONS_PER_HOST;

    private Builder() {}

    /** The longest a connection may take to open, > 0 (default 10 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      InvalidSettingException.check(!connectTimeout.isNegative() && !connectTimeout.isZero(), "http transport",
          "connectTimeout", "must be positive", connectTimeout);
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * The most exchanges in flight to one origin (scheme, host and port), ≥ 1 (default
     * {@value #DEFAULT_MAX_CONNECTIONS_PER_HOST}); more wait in line, without a thread.
     */
    public Builder maxConnectionsPerHost(int maxConnectionsPerHost) {
      InvalidSettingException.check(maxConnectionsPerHost >= 1, "http transport", "maxConnectionsPerHost",
          "must be at least 1", maxConnectionsPerHost);
      this.maxConnectionsPerHost = maxConnectionsPerHost;
      return this;
    }

    public JdkHttpTransport build() {
      return new JdkHttpTransport(HttpClient.newBuilder()
          .connectTimeout(connectTimeout)
          .version(HttpClient.Version.HTTP_2)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build(), maxConnectionsPerHost);
    }
  }
}
