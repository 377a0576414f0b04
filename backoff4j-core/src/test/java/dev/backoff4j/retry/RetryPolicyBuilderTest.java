package dev.backoff4j.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.testkit.VirtualTime;
import dev.backoff4j.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RetryPolicyBuilderTest {

  private static void assertRejected(Consumer<RetryPolicyBuilder<Object>> setting, String name) {
    RetryPolicyBuilder<Object> builder = RetryPolicy.builder();
    assertThatThrownBy(() -> {
      setting.accept(builder);
      builder.build();
    })
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("'" + name + "'")
        .satisfies(e -> assertThat(((InvalidSettingException) e).setting()).isEqualTo(name));
  }

  @Test
  void invalidSettingsFailNamingTheSettingAsTheCallerWroteIt() {
    assertRejected(b -> b.maxAttempts(0), "maxAttempts");
    assertRejected(b -> b.maxRetries(-1), "maxRetries");
    assertRejected(b -> b.initialDelay(Duration.ofMillis(-1)), "initialDelay");
    assertRejected(b -> b.multiplier(0.5), "multiplier");
    assertRejected(b -> b.multiplier(Double.NaN), "multiplier");
    assertRejected(b -> b.multiplier(Double.POSITIVE_INFINITY), "multiplier");
    assertRejected(b -> b.initialDelay(Duration.ofSeconds(5)).maxDelay(Duration.ofSeconds(1)), "maxDelay");
    assertRejected(b -> b.maxElapsed(Duration.ZERO), "maxElapsed");
    assertRejected(b -> b.maxServerDelay(Duration.ofSeconds(-1)), "maxServerDelay");
    assertRejected(b -> b.attemptTimeout(Duration.ofSeconds(-1)), "attemptTimeout");
  }

  @Test
  void aValueOutOfRangeIsRefusedByItsSetterNotLaterAtBuild() {
    RetryPolicyBuilder<Object> builder = RetryPolicy.builder();
    assertThatThrownBy(() -> builder.maxRetries(-1))
        .hasMessage("retry policy setting 'maxRetries' must be at least 0, was -1");
    assertThatThrownBy(() -> builder.attemptTimeout(Duration.ZERO))
        .hasMessage("retry policy setting 'attemptTimeout' must be positive, was 0ms");
    assertThat(builder.build().maxAttempts()).isEqualTo(3); // the refused values left the builder as it was
  }

  @Test
  void rulesBetweenSettingsAreCheckedAtBuild() {
    RetryPolicyBuilder<Object> builder = RetryPolicy.builder().maxDelay(Duration.ofSeconds(1));
    builder.initialDelay(Duration.ofSeconds(5)); // fine on its own
    assertThatThrownBy(builder::build).isInstanceOf(InvalidSettingException.class)
        .hasMessage("retry policy setting 'maxDelay' must be >= initialDelay (5.00s), was 1.00s");
  }

  @Test
  void messageShowsTheRejectedValue() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .hasMessage("retry policy setting 'maxAttempts' must be at least 1, was 0");
  }

  @Test
  void nullArgumentsAreRejectedAtOnceByName() {
    assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(null)).hasMessage("initialDelay");
    assertThatThrownBy(() -> RetryPolicy.builder().classifier(null)).hasMessage("classifier");
  }

  @Test
  void defaultsAreDocumented() {
    RetryPolicy<Object> policy = RetryPolicy.builder().build();
    assertThat(policy.maxAttempts()).isEqualTo(3);
    assertThat(policy.initialDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.multiplier()).isEqualTo(2.0);
    assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.jitter()).isEqualTo(Jitter.FULL);
    assertThat(policy.maxElapsed()).isEmpty();
    assertThat(policy.maxServerDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.budget()).isEmpty();
    assertThat(policy.retryLogLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void maxRetriesIsMaxAttemptsMinusOne() {
    assertThat(RetryPolicy.builder().maxRetries(5).build().maxAttempts()).isEqualTo(6);
  }

  @Test
  void toBuilderDerivesAVariantWithoutChangingTheOriginal() {
    RetryBudget budget = RetryBudget.settings().build().newBudget(TimeSource.system());
    RetryPolicy<Object> original = RetryPolicy.builder()
        .maxAttempts(7).jitter(Jitter.EQUAL).maxElapsed(Duration.ofSeconds(9)).sharedBudget(budget).build();
    RetryPolicy<Object> variant = original.toBuilder().maxAttempts(2).build();

    assertThat(original.maxAttempts()).isEqualTo(7);
    assertThat(variant.maxAttempts()).isEqualTo(2);
    assertThat(variant.jitter()).isEqualTo(Jitter.EQUAL);
    assertThat(variant.maxElapsed()).contains(Duration.ofSeconds(9));
    assertThat(variant.budget()).containsSame(budget);
  }

  @Test
  void loggingCanBeTurnedOff() {
    assertThat(RetryPolicy.builder().build().listeners).hasSize(1);
    assertThat(RetryPolicy.builder().retryLogLevel(Level.OFF).build().listeners).isEmpty();
  }

  @Test
  void eachPolicyBuiltFromBudgetSettingsHasABudgetOfItsOwn() {
    RetryBudget.Settings settings = RetryBudget.settings().ratio(0).minRetriesPerSecond(1).build();
    RetryPolicyBuilder<Object> builder = RetryPolicy.builder().budget(settings).timeSource(new VirtualTime());
    RetryPolicy<Object> first = builder.build();
    RetryPolicy<Object> second = builder.build();
    RetryPolicy<Object> derived = first.toBuilder().build();

    assertThat(first.budget()).isPresent();
    assertThat(first.budget().get()).isNotSameAs(second.budget().get()).isNotSameAs(derived.budget().get());
    assertThat(derived.budgetSettings()).contains(settings);
    first.budget().get().tryAcquireRetry(); // spends first's only retry
    assertThat(first.budget().get().available()).isZero();
    assertThat(second.budget().get().available()).isEqualTo(1.0);
  }

  @Test
  void anOwnBudgetRunsOnThePolicysClockWhicheverOrderTheyWereSet() {
    VirtualTime time = new VirtualTime();
    RetryPolicy<Object> policy = RetryPolicy.builder()
        .budget(RetryBudget.settings().ratio(0).minRetriesPerSecond(1).build())
        .timeSource(time) // set after the budget: the budget still follows it
        .build();
    RetryBudget budget = policy.budget().orElseThrow();
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).isFalse();
    time.advance(Duration.ofSeconds(1));
    assertThat(budget.tryAcquireRetry()).isTrue();
  }

  @Test
  void aSharedBudgetIsTheSameForEveryPolicyGivenIt() {
    RetryBudget shared = RetryBudget.settings().build().newBudget(TimeSource.system());
    RetryPolicyBuilder<Object> builder = RetryPolicy.builder().sharedBudget(shared);
    assertThat(builder.build().budget()).containsSame(shared);
    assertThat(builder.build().toBuilder().build().budget()).containsSame(shared);
    assertThat(builder.build().budgetSettings()).isEmpty();
  }

  @Test
  void asynchronousRetriesRunOnTheTimeSourcesDefaultExecutorUnlessOneIsChosen() {
    VirtualTime time = new VirtualTime();
    java.util.concurrent.Executor mine = Runnable::run;
    assertThat(RetryPolicy.builder().timeSource(time).build().asyncExecutor()).isSameAs(time.defaultExecutor());
    assertThat(RetryPolicy.builder().asyncExecutor(mine).timeSource(time).build().asyncExecutor()).isSameAs(mine);
    assertThat(RetryPolicy.builder().build().asyncExecutor())
        .isSameAs(java.util.concurrent.ForkJoinPool.commonPool());
  }
}
