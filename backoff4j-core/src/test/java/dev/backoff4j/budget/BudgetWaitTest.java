package dev.backoff4j.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.testkit.VirtualTime;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code onBudgetExhausted}: FAIL gives up at once, WAIT waits its turn for the floor's refill. */
class BudgetWaitTest {

  private final VirtualTime time = new VirtualTime();
  private final List<RetryScheduled> scheduled = new ArrayList<>();

  /** No balance, a floor of 2 retries per second (so 2 at once, then one every 500 ms). */
  private final RetryBudget budget = RetryBudget.settings().ratio(0).minRetriesPerSecond(2).build().newBudget(time);

  private RetryPolicyBuilder<Object> policy(WhenExhausted whenExhausted) {
    return RetryPolicy.builder()
        .maxAttempts(2)
        .initialDelay(Duration.ofMillis(10))
        .jitter(Jitter.NONE)
        .maxElapsed(Duration.ofSeconds(10))
        .sharedBudget(budget)
        .onBudgetExhausted(whenExhausted)
        .retryLogLevel(Level.OFF)
        .timeSource(time)
        .listener(new RetryListener() {
          @Override
          public void onRetryScheduled(RetryScheduled event) {
            scheduled.add(event);
          }
        });
  }

  /** An asynchronous call failing once, then succeeding. */
  private static CompletableFuture<Object> failOnce(RetryPolicy<Object> policy, AtomicInteger attempts) {
    AtomicInteger own = new AtomicInteger();
    return policy.executeAsync(context -> {
      attempts.incrementAndGet();
      return own.getAndIncrement() == 0 ? CompletableFuture.failedFuture(new IllegalStateException("503"))
          : CompletableFuture.completedFuture("ok");
    });
  }

  @Test
  void failGivesUpAtOnceWhenTheBudgetIsEmpty() {
    RetryPolicy<Object> policy = policy(WhenExhausted.FAIL).build();
    AtomicInteger attempts = new AtomicInteger();
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(failOnce(policy, attempts));
    }
    time.advance(Duration.ofSeconds(1));
    assertThat(calls.subList(0, 2)).allSatisfy(call -> assertThat(call).isCompletedWithValue("ok"));
    assertThat(calls.subList(2, 5)).allSatisfy(call -> assertThat(call).isCompletedExceptionally());
    Throwable failure = calls.get(4).handle((r, e) -> e).join();
    assertThat(RetryHistory.of(failure).orElseThrow().reason()).isEqualTo(GiveUpReason.BUDGET_EXHAUSTED);
  }

  @Test
  void waitingRetriesArePaidByTheFloorInTheOrderTheyAsked() {
    RetryPolicy<Object> policy = policy(WhenExhausted.WAIT).build();
    AtomicInteger attempts = new AtomicInteger();
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(failOnce(policy, attempts));
    }
    // Two retries are paid at once (after their 10 ms backoff); the 3rd, 4th and 5th wait for the
    // floor: 500 ms, 1 s and 1.5 s.
    assertThat(scheduled).extracting(RetryScheduled::delay).containsExactly(Duration.ofMillis(10),
        Duration.ofMillis(10), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(1_500));
    assertThat(scheduled).extracting(RetryScheduled::delaySource)
        .containsExactly("backoff", "backoff", "budget", "budget", "budget");
    time.advance(Duration.ofMillis(999));
    assertThat(calls).filteredOn(CompletableFuture::isDone).hasSize(3);
    time.advance(Duration.ofMillis(501));
    assertThat(calls).allSatisfy(call -> assertThat(call).isCompletedWithValue("ok"));
    assertThat(attempts).hasValue(10);
  }

  @Test
  void aSynchronousRetrySleepsForItsTurn() {
    RetryPolicy<Object> policy = policy(WhenExhausted.WAIT).build();
    budget.reserveRetryNanos();
    budget.reserveRetryNanos(); // the floor is spent
    AtomicInteger calls = new AtomicInteger();
    Object result = policy.get(() -> {
      if (calls.getAndIncrement() == 0) {
        throw new IllegalStateException("503");
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void aWaitPastTheDeadlineGivesUpAtOnceAndGivesItsPlaceBack() {
    RetryPolicy<Object> policy = policy(WhenExhausted.WAIT).maxElapsed(Duration.ofMillis(1_200)).build();
    AtomicInteger attempts = new AtomicInteger();
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(failOnce(policy, attempts));
    }
    // The 5th would wait 1.5 s, past its 1.2 s deadline: it gives up now, and does not keep the place.
    assertThat(calls.subList(0, 4)).noneMatch(CompletableFuture::isDone);
    assertThat(calls.get(4)).isCompletedExceptionally();
    Throwable failure = calls.get(4).handle((r, e) -> e).join();
    assertThat(RetryHistory.of(failure).orElseThrow().reason()).isEqualTo(GiveUpReason.DEADLINE_EXCEEDED);
    assertThat(budget.reserveRetryNanos()).as("the next in line takes the freed place")
        .isEqualTo(Duration.ofMillis(1_500).toNanos());
  }

  @Test
  void cancellingAWaitingRetryGivesItsPlaceBack() {
    RetryPolicy<Object> policy = policy(WhenExhausted.WAIT).build();
    AtomicInteger attempts = new AtomicInteger();
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(failOnce(policy, attempts));
    }
    calls.get(2).cancel(true);
    assertThat(budget.reserveRetryNanos()).isEqualTo(Duration.ofMillis(500).toNanos());
    time.advance(Duration.ofSeconds(5));
    assertThat(attempts).as("the cancelled call never retried").hasValue(5);
  }

  @Test
  void rateLimitRetriesNeverWaitForTheBudget() {
    RetryPolicy<Object> policy = policy(WhenExhausted.WAIT)
        .classifier((result, failure) -> failure == null ? dev.backoff4j.retry.Verdict.SUCCESS
            : dev.backoff4j.retry.Verdict.rateLimited(Duration.ofMillis(20), "retry-after-ms"))
        .build();
    for (int i = 0; i < 10; i++) {
      budget.reserveRetryNanos();
    }
    AtomicInteger calls = new AtomicInteger();
    policy.get(() -> {
      if (calls.getAndIncrement() == 0) {
        throw new IllegalStateException("429");
      }
      return "ok";
    });
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(20));
  }

  @Test
  void waitIsRefusedAtBuildWhenTheFloorNeverRefills() {
    RetryBudget.Settings noFloor = RetryBudget.settings().minRetriesPerSecond(0).build();
    assertThatThrownBy(() -> RetryPolicy.builder().budget(noFloor).onBudgetExhausted(WhenExhausted.WAIT).build())
        .hasMessageStartingWith("retry policy setting 'onBudgetExhausted' must be FAIL when the budget's "
            + "minRetriesPerSecond is 0");
    assertThatThrownBy(() -> RetryPolicy.builder().sharedBudget(noFloor.newBudget(time))
        .onBudgetExhausted(WhenExhausted.WAIT).build()).hasMessageContaining("'onBudgetExhausted'");
    assertThat(RetryPolicy.builder().budget(noFloor).onBudgetExhausted(WhenExhausted.FAIL).build().onBudgetExhausted())
        .isEqualTo(WhenExhausted.FAIL);
  }

  @Test
  void reservationsQueueOnTheFloorAndRefillInOrder() {
    RetryBudget floor = RetryBudget.settings().ratio(0).minRetriesPerSecond(4).build().newBudget(time);
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      waits.add(floor.reserveRetryNanos());
    }
    assertThat(waits).containsExactly(0L, 0L, 0L, 0L, 250_000_000L, 500_000_000L, 750_000_000L);
    assertThat(floor.available()).isEqualTo(-3.0);
    time.advance(Duration.ofMillis(750));
    assertThat(floor.available()).isEqualTo(0.0);
    assertThat(floor.tryAcquireRetry()).isFalse();
  }
}
