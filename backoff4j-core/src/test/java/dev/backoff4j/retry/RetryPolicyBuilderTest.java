package dev.backoff4j.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.budget.RetryBudget;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RetryPolicyBuilderTest {

  private static void assertRejected(Consumer<RetryPolicyBuilder<Object>> setting, String name) {
    RetryPolicyBuilder<Object> builder = RetryPolicy.builder();
    setting.accept(builder);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'");
  }

  @Test
  void invalidSettingsFailAtBuildNamingTheSetting() {
    assertRejected(b -> b.maxAttempts(0), "maxAttempts");
    assertRejected(b -> b.maxRetries(-1), "maxAttempts");
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
    RetryBudget budget = RetryBudget.builder().build();
    RetryPolicy<Object> original = RetryPolicy.builder()
        .maxAttempts(7).jitter(Jitter.EQUAL).maxElapsed(Duration.ofSeconds(9)).budget(budget).build();
    RetryPolicy<Object> variant = original.toBuilder().maxAttempts(2).build();

    assertThat(original.maxAttempts()).isEqualTo(7);
    assertThat(variant.maxAttempts()).isEqualTo(2);
    assertThat(variant.jitter()).isEqualTo(Jitter.EQUAL);
    assertThat(variant.maxElapsed()).contains(Duration.ofSeconds(9));
    assertThat(variant.budget()).containsSame(budget);
  }

  @Test
  void loggingCanBeTurnedOff() {
    assertThat(RetryPolicy.builder().build().listeners()).hasSize(1);
    assertThat(RetryPolicy.builder().retryLogLevel(Level.OFF).build().listeners()).isEmpty();
  }
}
