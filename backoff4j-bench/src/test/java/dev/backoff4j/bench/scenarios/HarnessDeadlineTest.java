package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The harness's deadline for contenders without one: Future.get(deadline), then cancel(true). */
class HarnessDeadlineTest {

  private static ChatCaller caller(Runnable body, CompletableFuture<?> async) {
    return new ChatCaller() {
      @Override
      public void call() {
        body.run();
      }

      @Override
      public CompletableFuture<?> callAsync() {
        return async;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void aCallStillRunningAtTheDeadlineFailsThenAndIsInterrupted() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    ChatCaller sleeping = caller(() -> {
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    }, null);
    try (HarnessDeadline bounded = new HarnessDeadline(sleeping, Duration.ofMillis(50))) {
      long start = System.nanoTime();
      assertThatThrownBy(bounded::call).isInstanceOf(HarnessDeadline.DeadlineExceededException.class)
          .hasMessageStartingWith("deadline of 50 ms passed");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(50), Duration.ofSeconds(2));
      assertThat(interrupted.await(2, TimeUnit.SECONDS)).as("the call's thread was interrupted").isTrue();
    }
  }

  @Test
  void aCallThatEndsInTimePassesItsResultOrItsOwnError() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    try (HarnessDeadline bounded = new HarnessDeadline(caller(() -> ran.set(true), null), Duration.ofSeconds(5))) {
      bounded.call();
      assertThat(ran).isTrue();
    }
    ChatCaller failing = caller(() -> {
      throw new IllegalStateException("429");
    }, null);
    try (HarnessDeadline bounded = new HarnessDeadline(failing, Duration.ofSeconds(5))) {
      assertThatThrownBy(bounded::call).isInstanceOf(IllegalStateException.class).hasMessage("429");
    }
  }

  @Test
  void anAsyncCallIsGivenUpAtTheDeadlineAndCancelled() {
    CompletableFuture<Object> never = new CompletableFuture<>();
    try (HarnessDeadline bounded = new HarnessDeadline(caller(() -> {}, never), Duration.ofMillis(30))) {
      CompletableFuture<?> call = bounded.callAsync();
      assertThatThrownBy(() -> call.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(HarnessDeadline.DeadlineExceededException.class);
      // The timer gives the caller its error first, then cancels the call.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (!never.isCancelled() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertThat(never).isCancelled();
    }
    CompletableFuture<Object> failing = CompletableFuture.failedFuture(new IOException("reset"));
    try (HarnessDeadline bounded = new HarnessDeadline(caller(() -> {}, failing), Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> bounded.callAsync().get(2, TimeUnit.SECONDS)).cause().isInstanceOf(IOException.class);
    }
  }
}
