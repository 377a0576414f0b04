package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.openai.spi.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Steps in order, then a transport: the chain each request walks down. Immutable and thread-safe. */
public final class StepChain {

  private final List<Interceptor> steps;
  private final Transport transport;

  public StepChain(List<Interceptor> steps, Transport transport) {
    this.steps = List.copyOf(steps);
    this.transport = Objects.requireNonNull(transport, "transport");
  }

  public List<Interceptor> steps() {
    return steps;
  }

  public Transport transport() {
    return transport;
  }

  public Response execute(Request request) {
    return new Link(0, request, Optional.empty()).proceed(request);
  }

  public CompletableFuture<Response> executeAsync(Request request) {
    return new Link(0, request, Optional.empty()).proceedAsync(request);
  }

  /** The rest of the chain from step {@code index} on. */
  private final class Link implements Interceptor.Chain {
    private final int index;
    private final Request request;
    private final Optional<Duration> timeout;

    Link(int index, Request request, Optional<Duration> timeout) {
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
      return new Link(index, request, Objects.requireNonNull(newTimeout, "timeout"));
    }

    @Override
    public Response proceed(Request next) {
      Objects.requireNonNull(next, "request");
      if (index == steps.size()) {
        return transport.execute(next, timeout);
      }
      return steps.get(index).intercept(new Link(index + 1, next, timeout));
    }

    @Override
    public CompletableFuture<Response> proceedAsync(Request next) {
      Objects.requireNonNull(next, "request");
      if (index == steps.size()) {
        return transport.executeAsync(next, timeout);
      }
      try {
        return steps.get(index).interceptAsync(new Link(index + 1, next, timeout));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  @Override
  public String toString() {
    return "StepChain" + steps + " -> " + transport;
  }
}
