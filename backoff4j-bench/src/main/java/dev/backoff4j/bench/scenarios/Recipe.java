package dev.backoff4j.bench.scenarios;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The naive recipe, ported faithfully: catch every error, sleep {@code initialDelay × 2^attempt},
 * give up after {@code maxAttempts} attempts by rethrowing the last error. No jitter, no hints, no
 * classification. {@link #callAsync} is the same loop on futures, the sleeps scheduled with
 * {@link CompletableFuture#delayedExecutor} instead of blocking a thread.
 */
final class Recipe {

  private final Duration initialDelay;
  private final int maxAttempts;

  Recipe(Duration initialDelay, int maxAttempts) {
    this.initialDelay = initialDelay;
    this.maxAttempts = maxAttempts;
  }

  <T> T call(Callable<T> call) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.call();
      } catch (Exception e) {
        if (attempt + 1 >= maxAttempts) {
          throw e;
        }
        Thread.sleep(initialDelay.toMillis() << attempt);
      }
    }
  }

  /**
   * The loop without blocking: each attempt is {@code call.get()}; a failure schedules the next
   * attempt after the same sleep. The returned future fails with the last attempt's error (not
   * wrapped); cancelling it stops further attempts.
   */
  <T> CompletableFuture<T> callAsync(Supplier<? extends CompletableFuture<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(call, 0, result);
    return result;
  }

  private <T> void attempt(Supplier<? extends CompletableFuture<T>> call, int attempt, CompletableFuture<T> result) {
    if (result.isDone()) {
      return; // cancelled by the caller
    }
    CompletableFuture<T> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenComplete((value, error) -> {
      if (error == null) {
        result.complete(value);
      } else if (attempt + 1 >= maxAttempts) {
        result.completeExceptionally(unwrap(error));
      } else {
        CompletableFuture.delayedExecutor(initialDelay.toMillis() << attempt, TimeUnit.MILLISECONDS)
            .execute(() -> attempt(call, attempt + 1, result));
      }
    });
  }

  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
