package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The load drivers on fake callers: what each request's outcome records. */
class LoadRunTest {

  /** Call i (counted across sync and async calls) succeeds unless {@code fails} says otherwise. */
  private static ChatCaller fake(IntFunction<CompletableFuture<?>> async) {
    AtomicInteger n = new AtomicInteger();
    return new ChatCaller() {
      @Override
      public void call() throws Exception {
        if (n.getAndIncrement() % 2 == 1) {
          throw new IOException("odd\nsecond line");
        }
      }

      @Override
      public CompletableFuture<?> callAsync() {
        return async.apply(n.getAndIncrement());
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void burstRecordsEveryCallsOutcomeAndCutsOffTheUnfinished() {
    CompletableFuture<Object> never = new CompletableFuture<>();
    ChatCaller caller = fake(i -> switch (i % 3) {
      case 0 -> CompletableFuture.completedFuture("ok");
      case 1 -> CompletableFuture.supplyAsync(() -> {
        throw new IllegalStateException("500");
      });
      default -> never;
    });
    LoadRun.Result run = LoadRun.burst(caller, 30, Duration.ofMillis(200));
    assertThat(run.cutOff()).isTrue();
    assertThat(run.outcomes()).hasSize(30);
    assertThat(run.outcomes().stream().filter(Outcome::ok)).hasSize(10);
    // The failure is recorded by its cause, not as the CompletionException around it.
    assertThat(run.outcomes().stream().filter(o -> "IllegalStateException".equals(o.error()))).hasSize(10)
        .allMatch(o -> o.finished() && "500".equals(o.message()));
    assertThat(run.outcomes().stream().filter(o -> LoadRun.CUT_OFF.equals(o.error()))).hasSize(10)
        .allMatch(o -> !o.finished());
    assertThat(never).isCancelled();
  }

  @Test
  void lanesRunTheirOwnSharesOnOneClock() {
    ChatCaller first = fake(i -> null);
    ChatCaller second = fake(i -> null);
    LoadRun.Result run = LoadRun.closedLoop(
        List.of(new LoadRun.Lane(first, 4, 1), new LoadRun.Lane(second, 6, 2)), Duration.ofSeconds(10));
    assertThat(run.cutOff()).isFalse();
    assertThat(run.outcomes()).hasSize(10).allMatch(Outcome::finished);
    // One worker on lane 1 alternates success and failure in request order; the message keeps its first line.
    assertThat(run.outcomes().subList(0, 4)).extracting(Outcome::ok).containsExactly(true, false, true, false);
    assertThat(run.outcomes().get(1).message()).isEqualTo("odd");
    assertThat(run.succeeded()).isEqualTo(2 + 3);
  }
}
