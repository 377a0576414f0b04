package dev.backoff4j.openai.http;

import dev.backoff4j.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Interceptors in order, then a {@link Transport}. The lean client's pipeline is
 * {@code interceptors → retry → attempt ([pacer], credentials, status check, buffering) → transport}; another
 * transport under the same interceptors gives the same retry behaviour. Immutable and thread-safe.
 */
public final class Pipeline {

  private final List<Interceptor> interceptors;
  private final Transport transport;

  private Pipeline(List<Interceptor> interceptors, Transport transport) {
    this.interceptors = List.copyOf(interceptors);
    this.transport = Objects.requireNonNull(transport, "transport");
  }

  public static Pipeline of(List<Interceptor> interceptors, Transport transport) {
    return new Pipeline(interceptors, transport);
  }

  /**
   * The OpenAI chain every front door uses (the lean client, the SDK bridge), so they cannot drift
   * apart: {@code beforeRetry} (each sees a logical request once) → {@link RetryInterceptor}
   * under {@code policy} → {@code perAttempt} (each sees every attempt: the pacer, credentials) →
   * {@link ResponseCheckInterceptor} → {@code transport}.
   *
   * @param policy its classifier should be {@link dev.backoff4j.openai.classify.OpenAiClassifier}; its
   *     time source also dates {@code Retry-After} and cuts off streams stalling before their first
   *     event, and its async executor reads that first event on the non-blocking path
   */
  public static Pipeline retrying(List<Interceptor> beforeRetry, RetryPolicy<Object> policy,
      List<Interceptor> perAttempt, Transport transport) {
    List<Interceptor> steps = new ArrayList<>(beforeRetry);
    steps.add(new RetryInterceptor(policy));
    steps.addAll(perAttempt);
    steps.add(new ResponseCheckInterceptor(policy.timeSource(), policy.asyncExecutor()));
    return new Pipeline(steps, transport);
  }

  public List<Interceptor> interceptors() {
    return interceptors;
  }

  public Transport transport() {
    return transport;
  }

  /** Runs {@code request} through every step, blocking. */
  public Response execute(Request request) {
    return new RealChain(0, request, Optional.empty()).proceed(request);
  }

  /** Runs {@code request} through every step without blocking. */
  public CompletableFuture<Response> executeAsync(Request request) {
    return new RealChain(0, request, Optional.empty()).proceedAsync(request);
  }

  private final class RealChain implements Interceptor.Chain {
    private final int index;
    private final Request request;
    private final Optional<Duration> timeout;

    RealChain(int index, Request request, Optional<Duration> timeout) {
      this.index = index;
      this.request = request;
      this.timeout = timeout;
    }

    @Override
    public Request request() {
      return request;
    }

    @Override
    public Optional<Duration> timeout() {
      return timeout;
    }

    @Override
    public Interceptor.Chain withTimeout(Optional<Duration> newTimeout) {
      return new RealChain(index, request, Objects.requireNonNull(newTimeout, "timeout"));
    }

    @Override
    public Response proceed(Request next) {
      if (index == interceptors.size()) {
        return transport.execute(next, timeout);
      }
      return interceptors.get(index).intercept(new RealChain(index + 1, next, timeout));
    }

    @Override
    public CompletableFuture<Response> proceedAsync(Request next) {
      if (index == interceptors.size()) {
        return transport.executeAsync(next, timeout);
      }
      try {
        return interceptors.get(index).interceptAsync(new RealChain(index + 1, next, timeout));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }
}
