package dev.backoff4j.openai;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;

/**
 * The retry preset for OpenAI-compatible APIs. Every setting can be changed on the returned builder.
 *
 * <table>
 *   <caption>Preset</caption>
 *   <tr><td>classifier</td><td>{@link OpenAiClassifier}</td></tr>
 *   <tr><td>attempts</td><td>5 (4 retries) for failures; rate-limit 429s are waits, not attempts: they
 *       are retried until the deadline, each wait at least the server's hint and growing above it when
 *       the same call is rate-limited again (see {@link OpenAiClassifier})</td></tr>
 *   <tr><td>backoff</td><td>500 ms initial (as the official SDKs), ×2, capped at 8 s, {@link Jitter#EQUAL}
 *       (never under half)</td></tr>
 *   <tr><td>server hints</td><td>honoured up to 60 s; a longer one fails at once, hint attached</td></tr>
 *   <tr><td>per attempt</td><td>5 min: long generations finish, hung connections do not hang forever</td></tr>
 *   <tr><td>overall deadline</td><td>10 min across attempts and waits</td></tr>
 *   <tr><td>budget</td><td>each success earns 0.2 retries, banked up to 20, plus 2 retries per second; a
 *       budget of its own per client. A full outage earns nothing, so it adds only the floor and the bank
 *       (about 7 % in the scenario benchmark), while a service failing up to ~15 % of calls keeps every
 *       retry. When it is empty a retry waits its turn for the floor (2 per second), within the deadline
 *       ({@link WhenExhausted#WAIT}), instead of failing. Rate-limit 429s do not spend it (see
 *       {@link OpenAiClassifier})</td></tr>
 * </table>
 */
public final class OpenAiRetryPolicy {

  public static final int MAX_ATTEMPTS = 5;
  public static final Duration INITIAL_DELAY = Duration.ofMillis(500);
  public static final double MULTIPLIER = 2.0;
  public static final Duration MAX_DELAY = Duration.ofSeconds(8);
  public static final Duration MAX_SERVER_DELAY = Duration.ofSeconds(60);
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration MAX_ELAPSED = Duration.ofMinutes(10);
  public static final double BUDGET_SUCCESS_RATIO = 0.2;
  public static final double BUDGET_MAX_BALANCE = 20;
  public static final double BUDGET_MIN_RETRIES_PER_SECOND = 2;

  /** The preset's budget settings; each policy (and so each client) makes its own budget from them. */
  public static final RetryBudget.Settings BUDGET = RetryBudget.settings()
      .ratio(0)
      .successRatio(BUDGET_SUCCESS_RATIO)
      .maxBalance(BUDGET_MAX_BALANCE)
      .minRetriesPerSecond(BUDGET_MIN_RETRIES_PER_SECOND)
      .build();

  private OpenAiRetryPolicy() {}

  /** The preset on the system clock. */
  public static RetryPolicy<Object> defaults() {
    return builder(TimeSource.system()).build();
  }

  /**
   * The preset as a builder on the clock {@code time} (a {@link dev.backoff4j.testkit.VirtualTime} in
   * tests). It holds the {@link #BUDGET budget settings}, not a budget: every policy built from it
   * gets a budget of its own on the same clock.
   */
  public static RetryPolicyBuilder<Object> builder(TimeSource time) {
    return RetryPolicy.builder()
        .classifier(OpenAiClassifier.INSTANCE)
        .maxAttempts(MAX_ATTEMPTS)
        .initialDelay(INITIAL_DELAY)
        .multiplier(MULTIPLIER)
        .maxDelay(MAX_DELAY)
        .jitter(Jitter.EQUAL)
        .maxServerDelay(MAX_SERVER_DELAY)
        .attemptTimeout(ATTEMPT_TIMEOUT)
        .maxElapsed(MAX_ELAPSED)
        .budget(BUDGET)
        .onBudgetExhausted(WhenExhausted.WAIT)
        .timeSource(time);
  }
}
