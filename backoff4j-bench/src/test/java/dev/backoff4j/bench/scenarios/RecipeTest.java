package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The recipe contender does what the recipe says: every error retried, 1·2^attempt sleeps, 5 attempts. */
class RecipeTest {

  @Test
  void retriesEveryErrorAndGivesUpAfterFiveAttemptsWithTheLastError() {
    Recipe recipe = new Recipe(Duration.ofMillis(1), 5);
    AtomicInteger attempts = new AtomicInteger();
    long start = System.nanoTime();
    assertThatThrownBy(() -> recipe.call(() -> {
      throw new IOException("attempt " + attempts.incrementAndGet());
    })).isInstanceOf(IOException.class).hasMessage("attempt 5");
    assertThat(attempts).hasValue(5);
    // Sleeps of 1, 2, 4 and 8 ms between the five attempts.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(15));
  }

  @Test
  void returnsTheFirstSuccess() throws Exception {
    Recipe recipe = new Recipe(Duration.ofMillis(1), 5);
    AtomicInteger attempts = new AtomicInteger();
    String result = recipe.call(() -> {
      if (attempts.incrementAndGet() < 3) {
        throw new IllegalStateException("429");
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void asyncRetriesTheSameWayAndFailsWithTheLastErrorUnwrapped() {
    Recipe recipe = new Recipe(Duration.ofMillis(1), 5);
    AtomicInteger attempts = new AtomicInteger();
    long start = System.nanoTime();
    CompletableFuture<String> call = recipe.callAsync(
        () -> CompletableFuture.failedFuture(new IOException("attempt " + attempts.incrementAndGet())));
    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IOException.class).hasMessage("attempt 5");
    assertThat(attempts).hasValue(5);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(15));
  }

  @Test
  void asyncReturnsTheFirstSuccessAndCountsAThrowingSupplierAsAFailedAttempt() throws Exception {
    Recipe recipe = new Recipe(Duration.ofMillis(1), 5);
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> call = recipe.callAsync(() -> {
      if (attempts.incrementAndGet() < 3) {
        throw new IllegalStateException("refused before a future existed");
      }
      return CompletableFuture.completedFuture("ok");
    });
    assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void cancellingTheAsyncCallStopsFurtherAttempts() throws Exception {
    Recipe recipe = new Recipe(Duration.ofMillis(20), 5);
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> call = recipe.callAsync(() -> {
      attempts.incrementAndGet();
      return CompletableFuture.failedFuture(new IOException("down"));
    });
    call.cancel(true);
    Thread.sleep(80); // longer than the first two sleeps (20 + 40 ms)
    assertThat(attempts).hasValue(1);
  }
}
