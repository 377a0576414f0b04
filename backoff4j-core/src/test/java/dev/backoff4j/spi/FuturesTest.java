package dev.backoff4j.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FuturesTest {

  @Test
  void cancellingADerivedStageDoesNotReachItsSourceOnItsOwn() {
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<Integer> derived = source.thenApply(String::length);

    derived.cancel(true);

    assertFalse(source.isCancelled(), "the premise of propagateCancel: CompletableFuture does not do it");
  }

  @Test
  void cancellingTheDerivedFutureCancelsTheSource() {
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<Integer> derived = Futures.propagateCancel(source.thenApply(String::length), source);

    derived.cancel(true);

    assertTrue(source.isCancelled());
  }

  @Test
  void aDerivedFutureCancelledBeforehandCancelsTheSourceAtOnce() {
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<Integer> derived = new CompletableFuture<>();
    derived.cancel(false);

    Futures.propagateCancel(derived, source);

    assertTrue(source.isCancelled());
  }

  @Test
  void aDerivedFutureThatFailsOrSucceedsLeavesTheSourceAlone() {
    CompletableFuture<String> failedSource = new CompletableFuture<>();
    CompletableFuture<String> failed = Futures.propagateCancel(new CompletableFuture<>(), failedSource);
    failed.completeExceptionally(new IOException("reset"));

    CompletableFuture<String> succeededSource = new CompletableFuture<>();
    CompletableFuture<String> succeeded = Futures.propagateCancel(new CompletableFuture<>(), succeededSource);
    succeeded.complete("ok");

    assertFalse(failedSource.isDone());
    assertFalse(succeededSource.isDone());
  }

  @Test
  void propagateCancelReturnsTheDerivedFuture() {
    CompletableFuture<String> derived = new CompletableFuture<>();

    assertSame(derived, Futures.propagateCancel(derived, new CompletableFuture<>()));
  }

  @Test
  void unwrapRemovesEveryCompletionAndExecutionWrapper() {
    IOException cause = new IOException("reset");

    assertSame(cause, Futures.unwrap(new CompletionException(new ExecutionException(new CompletionException(cause)))));
  }

  @Test
  void unwrapKeepsAWrapperWithoutACause() {
    CompletionException bare = new CompletionException("no cause", null);

    assertSame(bare, Futures.unwrap(bare));
  }

  @Test
  void unwrapLeavesOtherFailuresAndNullAlone() {
    IllegalStateException plain = new IllegalStateException("x", new CompletionException(new IOException()));

    assertSame(plain, Futures.unwrap(plain));
    assertNull(Futures.unwrap(null));
  }
}
