package dev.backoff4j.retry;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Collects the settings of a {@link RetryPolicy}. Setters only record; {@link #build()} validates
 * every setting and names the bad one in its message. Builders are not thread-safe; the policies they
 * build are immutable.
 *
 * <p>Defaults: 3 attempts, 500 ms initial delay doubling up to 30 s, {@link Jitter#FULL}, no overall
 * deadline, server hints honoured up to 60 s, every exception retried (except interrupts), no budget,
 * retries logged at {@code INFO}, the system clock.
 *
 * @param <R> the result type the policy's classifier understands
 */
public final class RetryPolicyBuilder<R> {

  int maxAttempts = 3;
  Duration initialDelay = Duration.ofMillis(500);
  double multiplier = 2.0;
  Duration maxDelay = Duration.ofSeconds(30);
  Jitter jitter = Jitter.FULL;
  Duration maxElapsed;
  Duration maxServerDelay = Duration.ofSeconds(60);
  Duration attemptTimeout;
  RetryClassifier<? super R> classifier;
  RetryBudget budget;
  final List<RetryListener> listeners = new ArrayList<>();
  Level retryLogLevel = Level.INFO;
  TimeSource timeSource = TimeSource.system();
  Executor asyncExecutor = ForkJoinPool.commonPool();

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
    this.budget = policy.budget().orElse(null);
    this.listeners.addAll(policy.userListeners());
    this.retryLogLevel = policy.retryLogLevel();
    this.timeSource = policy.timeSource();
    this.asyncExecutor = policy.asyncExecutor();
  }

  /** Total attempts including the first, ≥ 1. {@code maxAttempts(1)} never retries. */
  public RetryPolicyBuilder<R> maxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
    return this;
  }

  /** Retries after the first attempt, ≥ 0; the same setting as {@code maxAttempts(maxRetries + 1)}. */
  public RetryPolicyBuilder<R> maxRetries(int maxRetries) {
    this.maxAttempts = maxRetries == Integer.MAX_VALUE ? Integer.MAX_VALUE : maxRetries + 1;
    return this;
  }

  /** The backoff before the first retry, before jitter, ≥ 0. */
  public RetryPolicyBuilder<R> initialDelay(Duration initialDelay) {
    this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
    return this;
  }

  /** Growth of the backoff per retry, ≥ 1 (2 doubles it). */
  public RetryPolicyBuilder<R> multiplier(double multiplier) {
    this.multiplier = multiplier;
    return this;
  }

  /** The largest computed backoff, ≥ {@code initialDelay}. Does not cap server hints; see {@link #maxServerDelay}. */
  public RetryPolicyBuilder<R> maxDelay(Duration maxDelay) {
    this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
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
    this.maxElapsed = maxElapsed;
    return this;
  }

  /**
   * The longest server-suggested delay to honour, ≥ 0. A larger hint (say {@code Retry-After: 3600})
   * ends the execution at once with {@link GiveUpReason#HINT_EXCEEDS_CAP} and the hint in
   * {@link RetryHistory#rejectedHint()}: never an hour-long sleep.
   */
  public RetryPolicyBuilder<R> maxServerDelay(Duration maxServerDelay) {
    this.maxServerDelay = Objects.requireNonNull(maxServerDelay, "maxServerDelay");
    return this;
  }

  /**
   * The longest one attempt may take, > 0, offered to attempts through
   * {@link AttemptContext#attemptTimeout()} and enforced for asynchronous attempts. {@code null} removes it.
   */
  public RetryPolicyBuilder<R> attemptTimeout(Duration attemptTimeout) {
    this.attemptTimeout = attemptTimeout;
    return this;
  }

  /** Decides success, retry or stop for each outcome. Changes the builder's result type. */
  @SuppressWarnings("unchecked")
  public <S extends R> RetryPolicyBuilder<S> classifier(RetryClassifier<? super S> classifier) {
    RetryPolicyBuilder<S> self = (RetryPolicyBuilder<S>) this;
    self.classifier = Objects.requireNonNull(classifier, "classifier");
    return self;
  }

  /** A budget shared with other policies; {@code null} for none. */
  public RetryPolicyBuilder<R> budget(RetryBudget budget) {
    this.budget = budget;
    return this;
  }

  /** Adds a listener; listeners are called in the order added. */
  public RetryPolicyBuilder<R> listener(RetryListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * The {@link System.Logger} level of the one-line retry log ({@code dev.backoff4j.retry}); give-ups
   * are logged at {@code WARNING}. {@link Level#OFF} turns the log off.
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
   * the caller's thread). Defaults to the common fork-join pool.
   */
  public RetryPolicyBuilder<R> asyncExecutor(Executor asyncExecutor) {
    this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "asyncExecutor");
    return this;
  }

  /**
   * Validates the settings and builds the policy.
   *
   * @throws IllegalArgumentException naming the first invalid setting
   */
  public RetryPolicy<R> build() {
    check(maxAttempts >= 1, "maxAttempts", "must be at least 1", maxAttempts);
    check(!initialDelay.isNegative(), "initialDelay", "must not be negative", initialDelay);
    check(multiplier >= 1.0 && !Double.isInfinite(multiplier), "multiplier", "must be a finite number >= 1", multiplier);
    check(maxDelay.compareTo(initialDelay) >= 0, "maxDelay", "must be >= initialDelay (" + initialDelay + ")", maxDelay);
    check(maxElapsed == null || (!maxElapsed.isNegative() && !maxElapsed.isZero()), "maxElapsed", "must be positive", maxElapsed);
    check(!maxServerDelay.isNegative(), "maxServerDelay", "must not be negative", maxServerDelay);
    check(attemptTimeout == null || (!attemptTimeout.isNegative() && !attemptTimeout.isZero()),
        "attemptTimeout", "must be positive", attemptTimeout);
    return new RetryPolicy<>(this);
  }

  private static void check(boolean valid, String setting, String rule, Object value) {
    if (!valid) {
      throw new IllegalArgumentException("retry policy setting '" + setting + "' " + rule + ", was " + value);
    }
  }
}
