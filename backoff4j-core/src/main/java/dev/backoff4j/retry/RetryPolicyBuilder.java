package dev.backoff4j.retry;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Collects the settings of a {@link RetryPolicy}. Each setter checks its own range and throws an
 * {@link InvalidSettingException} naming itself ({@code maxRetries(-1)} is reported as
 * {@code 'maxRetries'}); {@link #build()} checks the rules between settings. Builders are not
 * thread-safe and may be reused: every {@link #build()} makes an independent policy (with a budget of
 * its own when {@link #budget budget settings} are set); the policies are immutable.
 *
 * <p>Defaults: 3 attempts, 500 ms initial delay doubling up to 30 s, {@link Jitter#FULL}, no overall
 * deadline, server hints honoured up to 60 s, every exception retried (except interrupts), rate-limit
 * retries counted as attempts unless a deadline is set (see {@link #maxRateLimitRetries}), no budget
 * (and, with one, {@link WhenExhausted#FAIL}), retries logged at {@code INFO}, the system clock,
 * asynchronous retries continued on the time source's
 * {@linkplain TimeSource#defaultExecutor() default executor}.
 *
 * @param <R> the result type the policy's classifier understands
 */
public final class RetryPolicyBuilder<R> {

  private static final String COMPONENT = "retry policy";

  int maxAttempts = 3;
  Duration initialDelay = Duration.ofMillis(500);
  double multiplier = 2.0;
  Duration maxDelay = Duration.ofSeconds(30);
  Jitter jitter = Jitter.FULL;
  Duration maxElapsed;
  Duration maxServerDelay = Duration.ofSeconds(60);
  Duration attemptTimeout;
  RetryClassifier<? super R> classifier;
  RetryBudget.Settings budgetSettings;
  RetryBudget sharedBudget;
  WhenExhausted onBudgetExhausted = WhenExhausted.FAIL;
  /** {@code null}: the rule by deadline described on {@link #maxRateLimitRetries}. */
  Integer maxRateLimitRetries;
  final List<RetryListener> listeners = new ArrayList<>();
  Level retryLogLevel = Level.INFO;
  TimeSource timeSource = TimeSource.system();
  Executor asyncExecutor;

  RetryPolicyBuilder() {
    this.classifier = RetryClassifier.retryExceptions();
  }

  RetryPolicyBuilder(RetryPolicy<R> policy) {
    this.maxAttempts = policy.maxAttempts();
    this.initialDelay = policy.initialDelay();
    this.multiplier = policy.multiplier();
    this.maxDelay = policy.maxDelay();
    this.jitter = policy.jitter();
    this.maxElapsed = policy.maxElapsed().orElse(null);
    this.maxServerDelay = policy.maxServerDelay();
    this.attemptTimeout = policy.attemptTimeout().orElse(null);
    this.classifier = policy.classifier();
    this.budgetSettings = policy.budgetSettings;
    this.sharedBudget = policy.sharedBudget;
    this.onBudgetExhausted = policy.onBudgetExhausted();
    this.maxRateLimitRetries = policy.chosenMaxRateLimitRetries;
    this.listeners.addAll(policy.userListeners);
    this.retryLogLevel = policy.retryLogLevel();
    this.timeSource = policy.timeSource();
    this.asyncExecutor = policy.chosenExecutor;
  }

  /** Total attempts including the first, ≥ 1. {@code maxAttempts(1)} never retries. */
  public RetryPolicyBuilder<R> maxAttempts(int maxAttempts) {
    InvalidSettingException.check(maxAttempts >= 1, COMPONENT, "maxAttempts", "must be at least 1", maxAttempts);
    this.maxAttempts = maxAttempts;
    return this;
  }

  /** Retries after the first attempt, ≥ 0; the same setting as {@code maxAttempts(maxRetries + 1)}. */
  public RetryPolicyBuilder<R> maxRetries(int maxRetries) {
    InvalidSettingException.check(maxRetries >= 0, COMPONENT, "maxRetries", "must be at least 0", maxRetries);
    this.maxAttempts = maxRetries == Integer.MAX_VALUE ? Integer.MAX_VALUE : maxRetries + 1;
    return this;
  }

  /**
   * How many {@linkplain Verdict#rateLimited rate-limit} retries one execution may make, ≥ 0, on top
   * of {@link #maxAttempts}: a rate limit says "not now", not "this failed", so waiting it out is not
   * an attempt used up. Each such retry waits at least the server's hint; when the same execution is
   * rate-limited again the wait grows by a jittered exponential backoff above the hint (the policy's
   * {@code initialDelay}, {@code multiplier} and {@code jitter}, the growth capped at {@code maxDelay}),
   * and, as every wait, it is refused when the hint exceeds {@code maxServerDelay} or the wait would
   * end at or past the deadline.
   *
   * <p>Unset (the default, and {@code null}) the bound follows the deadline: with
   * {@link #maxElapsed} set, rate-limit retries are bounded by the deadline alone; without one they
   * count against {@code maxAttempts} as any retry does, since nothing else would stop an execution
   * that a server keeps rate-limiting. Set, this is the bound in both cases; reaching it gives up with
   * {@link GiveUpReason#RETRIES_EXHAUSTED}.
   */
  public RetryPolicyBuilder<R> maxRateLimitRetries(Integer maxRateLimitRetries) {
    InvalidSettingException.check(maxRateLimitRetries == null || maxRateLimitRetries >= 0, COMPONENT,
        "maxRateLimitRetries", "must be at least 0", maxRateLimitRetries);
    this.maxRateLimitRetries = maxRateLimitRetries;
    return this;
  }

  /** The backoff before the first retry, before jitter, ≥ 0. */
  public RetryPolicyBuilder<R> initialDelay(Duration initialDelay) {
    Objects.requireNonNull(initialDelay, "initialDelay");
    InvalidSettingException.check(!initialDelay.isNegative(), COMPONENT, "initialDelay", "must not be negative",
        initialDelay);
    this.initialDelay = initialDelay;
    return this;
  }

  /** Growth of the backoff per retry, ≥ 1 (2 doubles it). */
  public RetryPolicyBuilder<R> multiplier(double multiplier) {
    InvalidSettingException.check(multiplier >= 1.0 && !Double.isInfinite(multiplier), COMPONENT, "multiplier",
        "must be a finite number >= 1", multiplier);
    this.multiplier = multiplier;
    return this;
  }

  /**
   * The largest computed backoff, ≥ {@code initialDelay} (checked at {@link #build()}). Does not cap
   * server hints; see {@link #maxServerDelay}.
   */
  public RetryPolicyBuilder<R> maxDelay(Duration maxDelay) {
    Objects.requireNonNull(maxDelay, "maxDelay");
    InvalidSettingException.check(!maxDelay.isNegative(), COMPONENT, "maxDelay", "must not be negative", maxDelay);
    this.maxDelay = maxDelay;
    return this;
  }

  public RetryPolicyBuilder<R> jitter(Jitter jitter) {
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    return this;
  }

  /**
   * A deadline across all attempts and waits, > 0. A wait that would end at or after it is not
   * started: the execution gives up at once with {@link GiveUpReason#DEADLINE_EXCEEDED}. Attempts see the
   * time left in {@link AttemptContext#timeLeft()}. {@code null} removes the deadline.
   */
  public RetryPolicyBuilder<R> maxElapsed(Duration maxElapsed) {
    InvalidSettingException.check(maxElapsed == null || isPositive(maxElapsed), COMPONENT, "maxElapsed",
        "must be positive", maxElapsed);
    this.maxElapsed = maxElapsed;
    return this;
  }

  /**
   * The longest server-suggested delay to honour, ≥ 0. A larger hint (say {@code Retry-After: 3600})
   * ends the execution at once with {@link GiveUpReason#HINT_EXCEEDS_CAP} and the hint in
   * {@link RetryHistory#rejectedHint()}: never an hour-long sleep.
   */
  public RetryPolicyBuilder<R> maxServerDelay(Duration maxServerDelay) {
    Objects.requireNonNull(maxServerDelay, "maxServerDelay");
    InvalidSettingException.check(!maxServerDelay.isNegative(), COMPONENT, "maxServerDelay", "must not be negative",
        maxServerDelay);
    this.maxServerDelay = maxServerDelay;
    return this;
  }

  /**
   * The longest one attempt may take, > 0, offered to attempts through
   * {@link AttemptContext#attemptTimeout()} and enforced for asynchronous attempts. {@code null} removes it.
   */
  public RetryPolicyBuilder<R> attemptTimeout(Duration attemptTimeout) {
    InvalidSettingException.check(attemptTimeout == null || isPositive(attemptTimeout), COMPONENT, "attemptTimeout",
        "must be positive", attemptTimeout);
    this.attemptTimeout = attemptTimeout;
    return this;
  }

  /**
   * Decides success, retry or stop for each outcome. Changes the builder's result type. A
   * {@link VirtualMachineError} ({@link OutOfMemoryError}, {@link StackOverflowError}, ...), or a
   * failure caused by one, is never retried whatever the classifier says: the next attempt would need
   * the same memory; the execution stops with {@link GiveUpReason#NOT_RETRYABLE}.
   */
  @SuppressWarnings("unchecked")
  public <S extends R> RetryPolicyBuilder<S> classifier(RetryClassifier<? super S> classifier) {
    RetryPolicyBuilder<S> self = (RetryPolicyBuilder<S>) this;
    self.classifier = Objects.requireNonNull(classifier, "classifier");
    return self;
  }

  /**
   * A retry budget of the policy's own: every policy built from this builder (and from
   * {@link RetryPolicy#toBuilder()}) makes a new {@link RetryBudget} with these settings on its
   * {@link #timeSource time source}, shared by all of that policy's executions. Replaces a
   * {@link #sharedBudget}. {@code null} for none.
   */
  public RetryPolicyBuilder<R> budget(RetryBudget.Settings settings) {
    this.budgetSettings = settings;
    this.sharedBudget = null;
    return this;
  }

  /**
   * This very budget, shared with every other policy given it: the explicit way to let several
   * policies (or clients) draw retries from one pool. Replaces {@link #budget budget settings}.
   * {@code null} for none.
   */
  public RetryPolicyBuilder<R> sharedBudget(RetryBudget budget) {
    this.sharedBudget = budget;
    this.budgetSettings = null;
    return this;
  }

  /**
   * What a retry does when the budget has none left: {@link WhenExhausted#FAIL} (the default) gives up
   * with {@link GiveUpReason#BUDGET_EXHAUSTED}; {@link WhenExhausted#WAIT} waits in line, in order
   * with the other waiting retries, until a deposit or (at a time known in advance) the floor's refill
   * pays for it; a retry still unpaid at the deadline gives up then with
   * {@link GiveUpReason#DEADLINE_EXCEEDED}. Rate-limit retries never spend the budget. {@link #build()} refuses {@code WAIT} with a
   * budget whose {@code minRetriesPerSecond} is 0: such a wait might never end.
   */
  public RetryPolicyBuilder<R> onBudgetExhausted(WhenExhausted onBudgetExhausted) {
    this.onBudgetExhausted = Objects.requireNonNull(onBudgetExhausted, "onBudgetExhausted");
    return this;
  }

  /** Adds a listener; listeners are called in the order added. */
  public RetryPolicyBuilder<R> listener(RetryListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * The {@link System.Logger} level of the one-line retry log ({@code dev.backoff4j.retry}); give-ups
   * are logged at {@code WARNING}, cancellations at {@code DEBUG}. {@link Level#OFF} turns the log off.
   */
  public RetryPolicyBuilder<R> retryLogLevel(Level level) {
    this.retryLogLevel = Objects.requireNonNull(level, "retryLogLevel");
    return this;
  }

  /** Clocks, sleeping and scheduling; replace with {@link dev.backoff4j.testkit.VirtualTime} in tests. */
  public RetryPolicyBuilder<R> timeSource(TimeSource timeSource) {
    this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
    return this;
  }

  /**
   * Where asynchronous retries start their attempts once their wait is over (the first attempt runs on
   * the caller's thread). Defaults to the time source's {@link TimeSource#defaultExecutor()}: the
   * common fork-join pool, or, under {@link dev.backoff4j.testkit.VirtualTime}, the thread moving time.
   * {@code null} restores the default.
   */
  public RetryPolicyBuilder<R> asyncExecutor(Executor asyncExecutor) {
    this.asyncExecutor = asyncExecutor;
    return this;
  }

  /**
   * Checks the rules between settings and builds the policy.
   *
   * @throws InvalidSettingException naming the setting that breaks a rule
   */
  public RetryPolicy<R> build() {
    InvalidSettingException.check(maxDelay.compareTo(initialDelay) >= 0, COMPONENT, "maxDelay",
        "must be >= initialDelay (" + InvalidSettingException.show(initialDelay) + ")", maxDelay);
    RetryBudget.Settings budget = sharedBudget != null ? sharedBudget.asSettings() : budgetSettings;
    InvalidSettingException.check(onBudgetExhausted != WhenExhausted.WAIT || budget == null
        || budget.minRetriesPerSecond() > 0, COMPONENT, "onBudgetExhausted",
        "must be FAIL when the budget's minRetriesPerSecond is 0 (nothing would ever pay a waiting retry)",
        onBudgetExhausted);
    return new RetryPolicy<>(this);
  }

  private static boolean isPositive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }
}
