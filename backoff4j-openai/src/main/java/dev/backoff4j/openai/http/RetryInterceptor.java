package dev.backoff4j.openai.http;

import dev.backoff4j.concurrent.Futures;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.retry.AttemptTimeoutException;
import dev.backoff4j.retry.RetryPolicy;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the rest of the pipeline under a core {@link RetryPolicy}: each attempt is one
 * {@link Interceptor.Chain#proceed} with the attempt's timeout (the smaller of the per-attempt timeout
 * and the time left before the deadline). Everything below this step runs once per attempt, so the
 * steps that must see each attempt (the pacer, credentials, status check, body buffering) go after it.
 *
 * <p>The caller receives the last attempt's failure with the {@link dev.backoff4j.retry.RetryHistory}
 * attached. The policy's classifier decides; use {@link dev.backoff4j.openai.classify.OpenAiClassifier}.
 */
public final class RetryInterceptor implements Interceptor {

  private final RetryPolicy<Object> policy;

  public RetryInterceptor(RetryPolicy<Object> policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public RetryPolicy<Object> policy() {
    return policy;
  }

  @Override
  public Response intercept(Chain chain) {
    return policy.<Response, RuntimeException>execute(
        context -> chain.withTimeout(context.attemptTimeout()).proceed(chain.request()));
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    CompletableFuture<Response> execution = policy.executeAsync(
        context -> chain.withTimeout(context.attemptTimeout()).proceedAsync(chain.request()));
    execution.whenComplete((response, failure) -> {
      if (failure == null) {
        result.complete(response);
      } else {
        result.completeExceptionally(translate(failure));
      }
    });
    // Cancelling what the caller holds must cancel the execution (and so the attempt in flight).
    return Futures.propagateCancel(result, execution);
  }

  /** Core's own attempt timeout becomes the typed timeout, keeping the history reachable as its cause. */
  private static Throwable translate(Throwable failure) {
    Throwable cause = Futures.unwrap(failure);
    if (cause instanceof AttemptTimeoutException timeout) {
      return new OpenAiTimeoutException(timeout.timeout(), timeout);
    }
    return cause;
  }

  @Override
  public String toString() {
    return "RetryInterceptor[" + policy + "]";
  }
}
