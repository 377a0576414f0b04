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
  void aSynchronousRetryWaitsForItsTurn() {
    RetryPolicy<Object> policy = policy(WhenExhausted.WAIT).build();
    budget.claimRetry();
    budget.claimRetry(); // the floor is spent
    AtomicInteger calls = new AtomicInteger();
    Object result = policy.get(() -> {
      if (calls.getAndIncrement() == 0) {
        throw new IllegalStateException("503");
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(time.sleeps()).as("the backoff").containsExactly(Duration.ofMillis(10));
    assertThat(time.elapsed()).as("then its turn at the floor").isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aRetryWhoseTurnComesAfterTheDeadlineWaitsUntilTheDeadlineNotLonger() {
    RetryPolicy<Object> policy = policy(WhenExhausted.WAIT).maxElapsed(Duration.ofMillis(1_200)).build();
    AtomicInteger attempts = new AtomicInteger();
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(failOnce(policy, attempts));
    }
    // The 5th is due at 1.5 s, past its 1.2 s deadline: it waits, in case a deposit pays it, then gives up.
    time.advance(Duration.ofMillis(1_199));
    assertThat(calls.get(4)).as("never failed before its deadline").isNotDone();
    time.advance(Duration.ofMillis(1));
    assertThat(calls.subList(0, 4)).allSatisfy(call -> assertThat(call).isCompletedWithValue("ok"));
    assertThat(calls.get(4)).isCompletedExceptionally();
    Throwable failure = calls.get(4).handle((r, e) -> e).join();
    RetryHistory history = RetryHistory.of(failure).orElseThrow();
    assertThat(history.reason()).isEqualTo(GiveUpReason.DEADLINE_EXCEEDED);
    assertThat(history.totalWaited()).isEqualTo(Duration.ofMillis(1_200));
    assertThat(attempts).hasValue(9);
  }

  @Test
  void depositsPayTheRetriesInLineFirstAndInOrder() {
    RetryBudget earning = RetryBudget.settings().ratio(0).successRatio(0.5).minRetriesPerSecond(1).build()
        .newBudget(time);
    earning.claimRetry(); // the floor's one retry
    RetryBudget.Claim first = earning.claimRetry();
    RetryBudget.Claim second = earning.claimRetry();
    assertThat(first.dueNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(second.dueNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    earning.recordSuccess();
    earning.recordSuccess(); // one retry earned: it goes to the first in line, not to the balance
    time.advance(Duration.ZERO);
    assertThat(first.isPaid()).isTrue();
    assertThat(second.isPaid()).isFalse();
    assertThat(earning.claimRetry().isPaid()).as("nothing left in the balance").isFalse();
  }

  @Test
  void aFlakyServicesSuccessesPayForItsRetriesWithoutWaitingForTheFloor() {
    RetryBudget earning = RetryBudget.settings().ratio(0).successRatio(1).maxBalance(1).minRetriesPerSecond(1)
        .build().newBudget(time);
    RetryPolicy<Object> policy = policy(WhenExhausted.WAIT).sharedBudget(earning).build();
    AtomicInteger attempts = new AtomicInteger();
    List<CompletableFuture<Object>> flaky = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      flaky.add(failOnce(policy, attempts)); // 20 failures at once: the floor pays one retry, 19 wait
    }
    for (int i = 0; i < 19; i++) {
      policy.executeAsync(context -> CompletableFuture.completedFuture("ok")); // 19 successes earn 19 retries
    }
    time.advance(Duration.ofMillis(10)); // the backoff
    assertThat(flaky).allSatisfy(call -> assertThat(call).isCompletedWithValue("ok"));
    assertThat(time.elapsed()).as("not the floor's 19 s").isEqualTo(Duration.ofMillis(10));
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
    assertThat(budget.claimRetry().dueNanos()).isEqualTo(Duration.ofMillis(500).toNanos());
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
      budget.claimRetry();
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
  void claimsQueueOnTheFloorWhichPaysThemInOrder() {
    RetryBudget floor = RetryBudget.settings().ratio(0).minRetriesPerSecond(4).build().newBudget(time);
    List<RetryBudget.Claim> claims = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      claims.add(floor.claimRetry());
    }
    assertThat(claims.subList(0, 4)).allMatch(RetryBudget.Claim::isPaid);
    assertThat(claims.subList(4, 7)).extracting(RetryBudget.Claim::dueNanos)
        .containsExactly(250_000_000L, 500_000_000L, 750_000_000L);
    assertThat(floor.available()).isEqualTo(-3.0);
    time.advance(Duration.ofMillis(750));
    assertThat(floor.available()).isEqualTo(0.0);
    assertThat(floor.tryAcquireRetry()).isFalse();
  }
}
