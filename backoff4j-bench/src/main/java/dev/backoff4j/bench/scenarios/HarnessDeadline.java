package dev.backoff4j.bench.scenarios;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deadline for a client that has none across its retries (the recipe, Resilience4j's retry, the
 * official SDK, whose timeouts are per attempt): the call runs on a pool thread, the caller waits
 * {@code Future.get(deadline)} and then gives up with {@code cancel(true)}, as Java code usually
 * bounds a blocking call. The interrupt ends the contender's sleeps; an attempt it does not stop goes
 * on (and is counted by the mock), as it would in an application.
 */
final class HarnessDeadline implements ChatCaller {

  /** What a call that ran out of time throws; its message names the deadline. */
  static final class DeadlineExceededException extends Exception {
    DeadlineExceededException(Duration deadline) {
      super("deadline of " + deadline.toMillis() + " ms passed (harness: Future.get + cancel(true))");
    }
  }

  private final ChatCaller inner;
  private final Duration deadline;
  private final ExecutorService pool;

  HarnessDeadline(ChatCaller inner, Duration deadline) {
    this.inner = inner;
    this.deadline = deadline;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "harness-deadline-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void call() throws Exception {
    Future<?> future = pool.submit(() -> {
      inner.call();
      return null;
    });
    try {
      future.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new DeadlineExceededException(deadline);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Override
  public CompletableFuture<?> callAsync() {
    CompletableFuture<?> call = inner.callAsync();
    CompletableFuture<Object> bounded = new CompletableFuture<>();
    call.whenComplete((v, e) -> {
      if (e == null) {
        bounded.complete(v);
      } else {
        bounded.completeExceptionally(Recipe.unwrap(e));
      }
    });
    CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
      if (bounded.completeExceptionally(new DeadlineExceededException(deadline))) {
        call.cancel(true);
      }
    });
    return bounded;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    inner.close();
  }
}
