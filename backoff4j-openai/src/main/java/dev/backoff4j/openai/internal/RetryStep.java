package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.retry.AttemptTimeoutException;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.spi.Futures;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the rest of the pipeline under a core {@link RetryPolicy}: each attempt is one
 * {@link Interceptor.Chain#proceed}, given the time left before the deadline (the steps that wait —
 * outage gate, pacer — wait within it; the attempt step then cuts it to the attempt timeout).
 * Everything below this step runs once per attempt.
 *
 * <p>Each call gets its {@link CallListener}: the pipeline's factory's, plus one the request carries as
 * its tag. The caller receives the last attempt's failure with the {@link dev.backoff4j.retry.RetryHistory}
 * attached.
 */
public final class RetryStep implements Interceptor {

  private final RetryPolicy<Object> policy;
  private final CallListener.Factory listeners;
  private final boolean gated;

  /**
   * @param policy the engine's policy: no attempt timeout of its own (the attempt step applies it), so
   *     its asynchronous attempts are cut only by the deadline
   * @param listeners makes each call's listener
   * @param gated whether an outage gate follows, which wants the call's {@link CallScope}
   */
  public RetryStep(RetryPolicy<Object> policy, CallListener.Factory listeners, boolean gated) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.listeners = Objects.requireNonNull(listeners, "listeners");
    this.gated = gated;
  }

  public RetryPolicy<Object> policy() {
    return policy;
  }

  @Override
  public Response intercept(Chain chain) {
    CallListener listener = listenerFor(chain.request());
    // Blocking: the gate step fails a wait at the deadline itself; it needs the scope only to tell the listener.
    Request request = gated && listener != CallListener.NONE
        ? chain.request().withTag(CallScope.class, new CallScope(listener)) : chain.request();
    dev.backoff4j.retry.Attempt<Response, RuntimeException> attempt =
        context -> chain.withTimeout(context.attemptTimeout()).proceed(request);
    return listener == CallListener.NONE ? policy.execute(attempt) : policy.execute(attempt, listener);
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    CallListener listener = listenerFor(chain.request());
    CompletableFuture<Response> result = new CompletableFuture<>();
    CallScope scope = gated ? new CallScope(listener) : null;
    Request request = scope != null ? chain.request().withTag(CallScope.class, scope) : chain.request();
    dev.backoff4j.retry.AsyncAttempt<Response> attempt =
        context -> chain.withTimeout(context.attemptTimeout()).proceedAsync(request);
    CompletableFuture<Response> execution =
        listener == CallListener.NONE ? policy.executeAsync(attempt) : policy.executeAsync(attempt, listener);
    execution.whenComplete((response, failure) -> {
      if (failure == null) {
        result.complete(response);
      } else {
        result.completeExceptionally(translate(failure, scope));
      }
    });
    // Cancelling what the caller holds must cancel the execution (and so the attempt in flight).
    return Futures.propagateCancel(result, execution);
  }

  private CallListener listenerFor(Request request) {
    CallListener listener = Listeners.both(create(request), request.tag(CallListener.class).orElse(CallListener.NONE));
    if (listener == CallListener.NONE) {
      return listener;
    }
    try {
      listener.onCallStarted(request);
    } catch (RuntimeException ignored) {
      // observing a call must never change it
    }
    return listener;
  }

  private CallListener create(Request request) {
    try {
      CallListener listener = listeners.create(request);
      return listener == null ? CallListener.NONE : listener;
    } catch (RuntimeException ignored) {
      return CallListener.NONE; // a broken factory must not fail the call
    }
  }

  /**
   * Core's own attempt timeout (the deadline, here) becomes the typed timeout, keeping the history as
   * its cause: the gate's account of the outage when the attempt was waiting at the gate, else an
   * {@link OpenAiTimeoutException}.
   */
  private static Throwable translate(Throwable failure, CallScope scope) {
    Throwable cause = Futures.unwrap(failure);
    if (cause instanceof AttemptTimeoutException timeout) {
      RuntimeException atGate = scope == null ? null : scope.deadlinePassedAtGate(timeout);
      return atGate != null ? atGate : new OpenAiTimeoutException(timeout.timeout(), timeout);
    }
    return cause;
  }

  @Override
  public String toString() {
    return "RetryStep[" + policy + "]";
  }
}
