package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.spi.Interceptor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where an attempt proper begins, after every wait (gate, pacer): the attempt's timeout starts here —
 * the smaller of the attempt timeout and what is left before the deadline — and the credential and
 * identity headers are put on ({@code Authorization: Bearer} or Azure's {@code api-key}, organization,
 * project, {@code User-Agent}), unless the transport's own client signs its requests.
 */
public final class AttemptStep implements Interceptor {

  private final Optional<Duration> attemptTimeout;
  private final Map<String, String> headers;

  /**
   * @param attemptTimeout the longest one attempt may take once sent; empty for no limit but the deadline
   * @param headers name to value, put on every attempt; the values are never shown by {@link #toString()}
   */
  public AttemptStep(Optional<Duration> attemptTimeout, Map<String, String> headers) {
    this.attemptTimeout = attemptTimeout;
    this.headers = Map.copyOf(headers);
  }

  @Override
  public Response intercept(Chain chain) {
    return chain.withTimeout(timeout(chain)).proceed(withHeaders(chain.request()));
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    return chain.withTimeout(timeout(chain)).proceedAsync(withHeaders(chain.request()));
  }

  private Optional<Duration> timeout(Chain chain) {
    Optional<Duration> left = chain.timeout();
    if (attemptTimeout.isEmpty()) {
      return left;
    }
    if (left.isEmpty()) {
      return attemptTimeout;
    }
    return Optional.of(left.get().compareTo(attemptTimeout.get()) < 0 ? left.get() : attemptTimeout.get());
  }

  private Request withHeaders(Request request) {
    Request result = request;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      result = result.withHeader(header.getKey(), header.getValue());
    }
    return result;
  }

  @Override
  public String toString() {
    return "AttemptStep[timeout=" + attemptTimeout.orElse(null) + ", headers=" + headers.keySet() + "]";
  }
}
