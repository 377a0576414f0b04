package dev.backoff4j.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.testkit.VirtualTime;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final VirtualTime time = new VirtualTime();

  private static int drain(RetryBudget budget) {
    int granted = 0;
    while (budget.tryAcquireRetry()) {
      granted++;
    }
    return granted;
  }

  @Test
  void aBudgetTellsTheSettingsItWasMadeFrom() {
    RetryBudget.Settings settings = RetryBudget.settings().ratio(0.3).minRetriesPerSecond(4).build();
    assertThat(settings.newBudget(time).asSettings()).isEqualTo(settings);
  }

  @Test
  void retriesAreAFractionOfRequests() {
    RetryBudget budget = RetryBudget.settings().ratio(0.1).minRetriesPerSecond(0).build().newBudget(time);
    for (int i = 0; i < 100; i++) {
      budget.recordRequest();
    }
    assertThat(drain(budget)).isEqualTo(10);
  }

  @Test
  void floorAllowsAFewRetriesPerSecondWithoutTraffic() {
    RetryBudget budget = RetryBudget.settings().ratio(0.1).minRetriesPerSecond(5).build().newBudget(time);
    assertThat(drain(budget)).isEqualTo(5);
    time.advance(Duration.ofMillis(400));
    assertThat(drain(budget)).isEqualTo(2);
    time.advance(Duration.ofMinutes(5));
    assertThat(drain(budget)).as("the floor holds at most one second's worth").isEqualTo(5);
  }

  @Test
  void savedBalanceIsCapped() {
    RetryBudget budget = RetryBudget.settings().ratio(0.5).minRetriesPerSecond(0).maxBalance(20).build().newBudget(time);
    for (int i = 0; i < 10_000; i++) {
      budget.recordRequest();
    }
    assertThat(drain(budget)).isEqualTo(20);
  }

  @Test
  void concurrentUseLosesNoUpdates() throws Exception {
    RetryBudget budget = RetryBudget.settings().ratio(0.1).minRetriesPerSecond(0).maxBalance(1e9).build().newBudget(time);
    int threads = 8;
    int perThread = 10_000;
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          budget.recordRequest();
          if (budget.tryAcquireRetry()) {
            granted.incrementAndGet();
          }
        }
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    double deposited = 0.1 * threads * perThread;
    assertThat(granted.get()).isLessThanOrEqualTo((int) deposited);
    assertThat(granted.get() + budget.available()).isCloseTo(deposited, within(1e-6));
  }

  @Test
  void outageWithBudgetAddsAboutTenPercentLoad() {
    RetryBudget budget = RetryBudget.settings().ratio(0.1).minRetriesPerSecond(0).build().newBudget(time);
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(6).initialDelay(Duration.ZERO).jitter(Jitter.NONE)
        .sharedBudget(budget).retryLogLevel(Level.OFF).timeSource(time).build();
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger budgetStops = new AtomicInteger();

    for (int request = 0; request < 1_000; request++) {
      try {
        policy.run(() -> {
          attempts.incrementAndGet();
          throw new IllegalStateException("503");
        });
      } catch (IllegalStateException expected) {
        if (RetryHistory.of(expected).orElseThrow().reason() == GiveUpReason.BUDGET_EXHAUSTED) {
          budgetStops.incrementAndGet();
        }
      }
    }

    assertThat(attempts.get()).isLessThanOrEqualTo(1_100).isGreaterThanOrEqualTo(1_090);
    assertThat(budgetStops.get()).isGreaterThan(900);
  }

  @Test
  void successesCanEarnRetriesInsteadOfRequests() {
    RetryBudget budget = RetryBudget.settings().ratio(0).successRatio(0.2).minRetriesPerSecond(0).build().newBudget(time);
    for (int i = 0; i < 100; i++) {
      budget.recordRequest();
    }
    assertThat(budget.tryAcquireRetry()).as("requests alone earn nothing").isFalse();
    for (int i = 0; i < 50; i++) {
      budget.recordSuccess();
    }
    assertThat(drain(budget)).isEqualTo(10);
  }

  @Test
  void successEarnedBudgetCoversAFlakyServiceButNotAnOutage() {
    RetryBudget budget = RetryBudget.settings().ratio(0).successRatio(0.2).minRetriesPerSecond(0).maxBalance(20).build().newBudget(time);
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(5).initialDelay(Duration.ZERO).jitter(Jitter.NONE)
        .sharedBudget(budget).retryLogLevel(Level.OFF).timeSource(time).build();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();

    // flaky: every eighth call fails (12.5 %), a rate above what a 10 % per-request budget could cover
    for (int request = 0; request < 1_000; request++) {
      try {
        policy.run(() -> {
          if (calls.incrementAndGet() % 8 == 0) {
            throw new IllegalStateException("500");
          }
        });
      } catch (IllegalStateException e) {
        failed.incrementAndGet();
      }
    }
    assertThat(failed).as("every flaky failure was retried").hasValue(0);

    // outage: nothing succeeds, so only what was banked (at most 20) is spent on retries
    AtomicInteger outageAttempts = new AtomicInteger();
    for (int request = 0; request < 400; request++) {
      try {
        policy.run(() -> {
          outageAttempts.incrementAndGet();
          throw new IllegalStateException("503");
        });
      } catch (IllegalStateException expected) {
        // counted below
      }
    }
    assertThat(outageAttempts.get()).isBetween(400, 420);
  }

  @Test
  void rateLimitedRetriesDoNotSpendTheBudget() {
    RetryBudget empty = RetryBudget.settings().ratio(0).minRetriesPerSecond(0).build().newBudget(time);
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).sharedBudget(empty)
        .retryLogLevel(Level.OFF).timeSource(time)
        .classifier((result, failure) -> failure == null ? dev.backoff4j.retry.Verdict.SUCCESS
            : failure.getMessage().equals("429")
                ? dev.backoff4j.retry.Verdict.rateLimited(Duration.ofMillis(5), "retry-after-ms")
                : dev.backoff4j.retry.Verdict.RETRY)
        .build();

    String result = policy.get(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("429");
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(5), Duration.ofMillis(5));

    IllegalStateException serverError = new IllegalStateException("503");
    assertThatThrownBy(() -> policy.get(() -> { throw serverError; })).isSameAs(serverError);
    assertThat(RetryHistory.of(serverError).orElseThrow().reason()).isEqualTo(GiveUpReason.BUDGET_EXHAUSTED);
  }

  @Test
  void invalidSettingsAreNamed() {
    assertThatThrownBy(() -> RetryBudget.settings().ratio(1.5).build()).hasMessageContaining("'ratio'");
    assertThatThrownBy(() -> RetryBudget.settings().successRatio(-0.1).build()).hasMessageContaining("'successRatio'");
    assertThatThrownBy(() -> RetryBudget.settings().minRetriesPerSecond(-1).build()).hasMessageContaining("'minRetriesPerSecond'");
    assertThatThrownBy(() -> RetryBudget.settings().maxBalance(0.5).build()).hasMessageContaining("'maxBalance'");
  }
}
