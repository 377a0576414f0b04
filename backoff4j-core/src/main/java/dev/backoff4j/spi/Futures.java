package dev.backoff4j.spi;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * What every asynchronous step needs from {@link CompletableFuture} and does not get from it:
 * cancellation that reaches the work, and the failure without its wrappers.
 */
public final class Futures {

  private Futures() {}

  /**
   * Makes cancelling {@code derived} cancel {@code source} too (with interruption).
   *
   * <p>A stage made by {@code thenApply}, {@code handle}, {@code thenCompose} and the like does not
   * pass a cancellation back to the future it came from, so cancelling what a caller holds leaves the
   * work running. Call this wherever a step hands out a future other than the one doing the work.
   * If {@code derived} is already cancelled, {@code source} is cancelled at once; cancelling an
   * already completed {@code source} does nothing.
   *
   * @return {@code derived}, for chaining
   */
  public static <T> CompletableFuture<T> propagateCancel(CompletableFuture<T> derived, Future<?> source) {
    Objects.requireNonNull(derived, "derived");
    Objects.requireNonNull(source, "source");
    derived.whenComplete((ignored, failure) -> {
      if (derived.isCancelled()) {
        source.cancel(true);
      }
    });
    return derived;
  }

  /**
   * The failure inside any {@link CompletionException} and {@link ExecutionException} wrappers (as
   * many levels as there are). A wrapper without a cause is returned as is; {@code null} stays
   * {@code null}.
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
