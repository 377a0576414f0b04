package dev.backoff4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.spring.boot.autoconfigure.Backoff4jAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/** A value a backoff4j builder refuses stops the application, reported against the property that set it. */
class PropertiesValidationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(Backoff4jAutoConfiguration.class))
      .withClassLoader(new FilteredClassLoader("org.springframework.ai"))
      .withPropertyValues("backoff4j.openai.api-key=sk-test");

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "max-retries | -1 | maxRetries | must be at least 0, was -1",
      "initial-delay | -1s | initialDelay | must not be negative, was -1.00s",
      "max-delay | 100ms | maxDelay | must be >= backoff4j.openai.initial-delay (500ms), was 100ms",
      "deadline | 0s | deadline | must be positive, was 0ms",
      "attempt-timeout | 0s | attemptTimeout | must be positive, was 0ms",
      "max-server-delay | -5s | maxServerDelay | must not be negative, was -5.00s",
      "pacing.rpm | -5 | pacing.rpm | must be a positive number, was -5.0",
      "pacing.tpm | 0 | pacing.tpm | must be a positive number, was 0.0",
      "budget.ratio | 2 | budget.ratio | must be in [0, 1], was 2.0",
      "budget.max-balance | 0.5 | budget.maxBalance | must be a finite number >= 1, was 0.5",
      "base-url | ftp://example.com | baseUrl | must be an absolute http(s) URL, was ftp://example.com",
      "max-rate-limit-retries | -1 | maxRateLimitRetries | must be at least 0, was -1",
      "gate.failures-to-close | 0 | gate.failuresToClose | must be at least 1, was 0",
      "gate.probe-initial-delay | -1s | gate.probeInitialDelay | must not be negative, was -1.00s",
      "gate.probe-max-delay | 0s | gate.probeMaxDelay | must be positive, was 0ms"})
  void aRefusedValueIsReportedAgainstItsProperty(String property, String value, String field, String problem) {
    runner.withPropertyValues("backoff4j.openai." + property + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      BindValidationException validation = find(context.getStartupFailure());
      List<ObjectError> errors = validation.getValidationErrors().getAllErrors();
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0)).isInstanceOfSatisfying(FieldError.class, error -> {
        assertThat(error.getField()).isEqualTo(field);
        assertThat(error.getDefaultMessage()).isEqualTo("backoff4j.openai." + property + " " + problem);
      });
    });
  }

  @org.junit.jupiter.api.Test
  void aProbeMaxDelayBelowTheInitialDelayIsReportedAgainstTheMaxNamingBoth() {
    runner.withPropertyValues("backoff4j.openai.gate.probe-initial-delay=5s").run(context -> {
      List<ObjectError> errors = find(context.getStartupFailure()).getValidationErrors().getAllErrors();
      assertThat(errors).singleElement().isInstanceOfSatisfying(FieldError.class, error -> {
        assertThat(error.getField()).isEqualTo("gate.probeMaxDelay");
        assertThat(error.getDefaultMessage()).isEqualTo("backoff4j.openai.gate.probe-max-delay must be >= "
            + "backoff4j.openai.gate.probe-initial-delay (5.00s), was 1.00s");
      });
    });
  }

  @org.junit.jupiter.api.Test
  void waitingForABudgetWithNoFloorIsRefusedNamingBothPropertiesAsWritten() {
    // when-exhausted=wait is the default; a floor of 0 would leave a waiting retry waiting forever.
    runner.withPropertyValues("backoff4j.openai.budget.min-retries-per-second=0").run(context -> {
      assertThat(context).hasFailed();
      List<ObjectError> errors = find(context.getStartupFailure()).getValidationErrors().getAllErrors();
      assertThat(errors).singleElement().isInstanceOfSatisfying(FieldError.class, error -> {
        assertThat(error.getField()).isEqualTo("budget.whenExhausted");
        assertThat(error.getDefaultMessage())
            .startsWith("backoff4j.openai.budget.when-exhausted=wait needs "
                + "backoff4j.openai.budget.min-retries-per-second above 0, was 0")
            .contains("when-exhausted=fail")
            .doesNotContain("onBudgetExhausted");
      });
    });
    runner.withPropertyValues("backoff4j.openai.budget.min-retries-per-second=0",
        "backoff4j.openai.budget.when-exhausted=fail").run(context -> assertThat(context).hasNotFailed());
    runner.withPropertyValues("backoff4j.openai.budget.min-retries-per-second=0",
        "backoff4j.openai.budget.enabled=false").run(context -> assertThat(context).hasNotFailed());
  }

  @org.junit.jupiter.api.Test
  void theRefusedValuesOriginIsTheProperty() {
    runner.withPropertyValues("backoff4j.openai.max-retries=-1").run(context -> assertThat(
        find(context.getStartupFailure()).getMessage()).contains("origin \"backoff4j.openai.max-retries\""));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {"max-retries | many", "initial-delay | soon", "gate.when-closed | sometimes",
      "budget.when-exhausted | later", "gate.failures-to-close | few", "max-rate-limit-retries | lots"})
  void aValueOfTheWrongTypeIsReportedByTheBinderAgainstItsProperty(String property, String value) {
    runner.withPropertyValues("backoff4j.openai." + property + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure())).anySatisfy(message ->
          assertThat(message).contains("backoff4j.openai." + property));
    });
  }

  private static BindValidationException find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindValidationException validation) {
        return validation;
      }
    }
    throw new AssertionError("no BindValidationException in " + failure, failure);
  }

  private static List<String> messages(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return messages;
  }
}
