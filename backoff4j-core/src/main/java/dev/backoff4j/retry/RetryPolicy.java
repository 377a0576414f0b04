package dev.backoff4j.retry;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.retry.event.LoggingRetryListener;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An immutable retry policy that also executes: {@code policy.get(() -> client.call())}.
 *
 * <p>Each execution runs an attempt, asks the {@link RetryClassifier} what the outcome means, and either
 * returns, gives up, or waits and tries again. The wait is the jittered exponential backoff, or the
 * server's suggested delay when the classifier reports one. An execution gives up when the classifier
 * says stop, attempts run out, the next wait would pass the {@code maxElapsed} deadline, a server hint
 * exceeds {@code maxServerDelay}, or the {@link RetryBudget} is empty (unless the policy
 * {@linkplain RetryPolicyBuilder#onBudgetExhausted waits} for it). A rate limit
 * ({@link Verdict#rateLimited}) is a wait, not an attempt used up, when a deadline (or
 * {@link RetryPolicyBuilder#maxRateLimitRetries}) bounds it.
 *
 * <p>On giving up after a failure, the caller receives that failure itself, with the
 * {@link RetryHistory} attached ({@link RetryHistory#of(Throwable)}). On giving up on a result the
 * classifier kept retrying (a 503 response, say), the last result is returned, as Failsafe and
 * Resilience4j do; listeners see the give-up.
 *
 * <p>Synchronous and asynchronous executions share one decision procedure; only the waiting differs.
 * Asynchronous waits are scheduled on the {@link TimeSource}, never on a sleeping thread; cancelling
 * the returned future cancels the attempt in flight and any scheduled retry.
 *
 * <p>A first attempt that succeeds allocates nothing beyond what the call itself allocates, unless
 * listeners are registered (the default logging listener emits events only on retries and give-ups).
 * Without a deadline or listeners, a synchronous first attempt is not even timed (a clock read costs
 * more than the rest of the success path): if it fails, the execution's clock starts at that failure,
 * so the history reports that attempt's duration as zero.
 *
 * @param <R> the result type the classifier understands
 */
public final class RetryPolicy<R> {

  private final int maxAttempts;
  private final Duration initialDelay;
  private final double multiplier;
  private final Duration maxDelay;
  private final Jitter jitter;
  private final Duration maxElapsed;
  private final Duration maxServerDelay;
  private final Duration attemptTimeout;
  private final RetryClassifier<? super R> classifier;
  /** The settings this policy made its own budget from, or {@code null}; {@link #toBuilder()} carries them. */
  final RetryBudget.Settings budgetSettings;
  /** A budget given explicitly to share, or {@code null}; {@link #toBuilder()} carries it. */
  final RetryBudget sharedBudget;
  /** The budget in use (own or shared), or {@code null}; read directly by the executors' fast path. */
  final RetryBudget budget;
  private final WhenExhausted onBudgetExhausted;
  /** As set on the builder ({@code null}: the rule by deadline); {@link #toBuilder()} carries it. */
  final Integer chosenMaxRateLimitRetries;
  /** Rate-limit retries allowed beyond maxAttempts; {@code -1}: they count as attempts. */
  final int rateLimitRetryAllowance;
  final List<RetryListener> userListeners;
  private final Level retryLogLevel;
  /** The logging listener (unless off), then the user's: every listener events go to. */
  final List<RetryListener> listeners;
  /** Whether any listener wants attempt-start and success events (the success path skips them otherwise). */
  final boolean notifiesEveryAttempt;
  private final TimeSource timeSource;
  /** The executor the user chose, or {@code null} for the time source's default. */
  final Executor chosenExecutor;
  private final Executor asyncExecutor;
  /** For {@link SyncExecutor}'s fast path: no clock read unless a deadline or listener needs it. */
  final boolean timesFirstAttempt;

  RetryPolicy(RetryPolicyBuilder<R> builder) {
    this.maxAttempts = builder.maxAttempts;
    this.initialDelay = builder.initialDelay;
    this.multiplier = builder.multiplier;
    this.maxDelay = builder.maxDelay;
    this.jitter = builder.jitter;
    this.maxElapsed = builder.maxElapsed;
    this.maxServerDelay = builder.maxServerDelay;
    this.attemptTimeout = builder.attemptTimeout;
    this.classifier = builder.classifier;
    this.timeSource = builder.timeSource;
    this.budgetSettings = builder.budgetSettings;
    this.sharedBudget = builder.sharedBudget;
    this.budget = sharedBudget != null ? sharedBudget
        : budgetSettings != null ? budgetSettings.newBudget(timeSource) : null;
    this.onBudgetExhausted = builder.onBudgetExhausted;
    this.chosenMaxRateLimitRetries = builder.maxRateLimitRetries;
    this.rateLimitRetryAllowance = chosenMaxRateLimitRetries != null ? chosenMaxRateLimitRetries
        : maxElapsed != null ? Integer.MAX_VALUE : -1;
    this.userListeners = List.copyOf(builder.listeners);
    this.retryLogLevel = builder.retryLogLevel;
    List<RetryListener> all = new ArrayList<>();
    if (retryLogLevel != Level.OFF) {
      all.add(new LoggingRetryListener(retryLogLevel));
    }
    all.addAll(userListeners);
    this.listeners = List.copyOf(all);
    // The logging listener ignores attempt starts and successes, so it need not slow the success path.
    this.notifiesEveryAttempt = !userListeners.isEmpty();
    this.chosenExecutor = builder.asyncExecutor;
    this.asyncExecutor = chosenExecutor != null ? chosenExecutor : timeSource.defaultExecutor();
    this.timesFirstAttempt = maxElapsed != null || notifiesEveryAttempt;
  }

  /** Starts a builder with the defaults listed on {@link RetryPolicyBuilder}. */
  public static RetryPolicyBuilder<Object> builder() {
    return new RetryPolicyBuilder<>();
  }

  /**
   * A builder holding this policy's settings, to derive a variant. A policy built from it makes a new
   * budget from the {@linkplain RetryPolicyBuilder#budget budget settings}, or uses the same
   * {@linkplain RetryPolicyBuilder#sharedBudget shared budget}.
   */
  public RetryPolicyBuilder<R> toBuilder() {
    return new RetryPolicyBuilder<>(this);
  }

  // ---- execution ----

  /**
   * Runs {@code attempt} until it succeeds or the policy gives up; each attempt sees its context.
   *
   * @throws X the last attempt's failure, with the {@link RetryHistory} attached
   * @throws RetryInterruptedException if interrupted while waiting (the interrupt flag is restored)
   */
  public <T extends R, X extends Exception> T execute(Attempt<T, X> attempt) throws X {
    Objects.requireNonNull(attempt, "attempt");
    return SyncExecutor.run(this, attempt, SyncExecutor.ATTEMPT, null);
  }

  /**
   * Like {@link #execute(Attempt)}, also telling {@code listener} this execution's events (after the
   * policy's own listeners). For per-call observers: a request's tracing span, a batch run's counters.
   */
  public <T extends R, X extends Exception> T execute(Attempt<T, X> attempt, RetryListener listener) throws X {
    Objects.requireNonNull(attempt, "attempt");
    Objects.requireNonNull(listener, "listener");
    return SyncExecutor.run(this, attempt, SyncExecutor.ATTEMPT, listener);
  }

  /** Like {@link #execute} for a {@link Callable}. */
  public <T extends R> T call(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    return SyncExecutor.run(this, callable, SyncExecutor.CALLABLE, null);
  }

  /** Like {@link #execute} for a {@link Supplier}, which can throw only unchecked exceptions. */
  public <T extends R> T get(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return SyncExecutor.run(this, supplier, SyncExecutor.SUPPLIER, null);
  }

  /** Like {@link #execute} for a {@link Runnable}; the classifier sees a {@code null} result. */
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    SyncExecutor.run(this, runnable, SyncExecutor.RUNNABLE, null);
  }

  /**
   * Runs a non-blocking attempt until it succeeds or the policy gives up, waiting between attempts on
   * the {@link TimeSource}'s scheduler. The first attempt starts on the calling thread; retries on the
   * {@link #asyncExecutor()}.
   *
   * <p>Cancelling the returned future stops the execution: the attempt in flight is cancelled, no
   * scheduled retry runs, and listeners see {@link GiveUpReason#CANCELLED}. When an
   * {@link RetryPolicyBuilder#attemptTimeout attempt timeout} or deadline applies, an attempt that
   * outlives it is cancelled and classified as an {@link AttemptTimeoutException}.
   *
   * @return a future completed with the result, or exceptionally with the last failure itself (not
   *     wrapped), carrying the {@link RetryHistory}
   */
  public <T extends R> CompletableFuture<T> executeAsync(AsyncAttempt<T> attempt) {
    Objects.requireNonNull(attempt, "attempt");
    return AsyncExecution.start(this, attempt, null);
  }

  /** Like {@link #executeAsync(AsyncAttempt)}, also telling {@code listener} this execution's events. */
  public <T extends R> CompletableFuture<T> executeAsync(AsyncAttempt<T> attempt, RetryListener listener) {
    Objects.requireNonNull(attempt, "attempt");
    Objects.requireNonNull(listener, "listener");
    return AsyncExecution.start(this, attempt, listener);
  }

  /** Like {@link #executeAsync} for a supplier of stages. */
  public <T extends R> CompletableFuture<T> getAsync(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return executeAsync(context -> supplier.get());
  }

  // ---- decorators ----

  /** A supplier that runs {@code supplier} under this policy each time it is called. */
  public <T extends R> Supplier<T> decorateSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> get(supplier);
  }

  /** A function that runs {@code function} under this policy each time it is applied. */
  public <A, T extends R> Function<A, T> decorateFunction(Function<A, T> function) {
    Objects.requireNonNull(function, "function");
    return argument -> get(() -> function.apply(argument));
  }

  /** An asynchronous function that retries {@code function}'s stages under this policy. */
  public <A, T extends R> Function<A, CompletableFuture<T>> decorateAsyncFunction(
      Function<A, ? extends CompletionStage<T>> function) {
    Objects.requireNonNull(function, "function");
    return argument -> executeAsync(context -> function.apply(argument));
  }

  // ---- settings ----

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialDelay() {
    return initialDelay;
  }

  public double multiplier() {
    return multiplier;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  public Jitter jitter() {
    return jitter;
  }

  public Optional<Duration> maxElapsed() {
    return Optional.ofNullable(maxElapsed);
  }

  public Duration maxServerDelay() {
    return maxServerDelay;
  }

  public Optional<Duration> attemptTimeout() {
    return Optional.ofNullable(attemptTimeout);
  }

  public RetryClassifier<? super R> classifier() {
    return classifier;
  }

  /** The budget this policy's executions draw retries from: its own, or the shared one it was given. */
  public Optional<RetryBudget> budget() {
    return Optional.ofNullable(budget);
  }

  /** The settings this policy made its own budget from; empty without a budget or with a shared one. */
  public Optional<RetryBudget.Settings> budgetSettings() {
    return Optional.ofNullable(budgetSettings);
  }

  /** What a retry does when the budget is empty. */
  public WhenExhausted onBudgetExhausted() {
    return onBudgetExhausted;
  }

  /**
   * The bound on rate-limit retries beyond {@link #maxAttempts()}, as set; empty for the rule by
   * deadline (see {@link RetryPolicyBuilder#maxRateLimitRetries}).
   */
  public Optional<Integer> maxRateLimitRetries() {
    return Optional.ofNullable(chosenMaxRateLimitRetries);
  }

  /**
   * Whether rate-limit retries are outside {@link #maxAttempts()} in this policy: when a bound of their
   * own or a deadline applies.
   */
  public boolean rateLimitsAreWaits() {
    return rateLimitRetryAllowance >= 0;
  }

  public Level retryLogLevel() {
    return retryLogLevel;
  }

  public TimeSource timeSource() {
    return timeSource;
  }

  /** Where asynchronous retries run: the executor chosen, else the time source's default. */
  public Executor asyncExecutor() {
    return asyncExecutor;
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay + ", multiplier=" + multiplier
        + ", maxDelay=" + maxDelay + ", jitter=" + jitter + ", maxElapsed=" + maxElapsed
        + ", maxServerDelay=" + maxServerDelay + ", attemptTimeout=" + attemptTimeout
        + ", maxRateLimitRetries=" + (chosenMaxRateLimitRetries != null ? chosenMaxRateLimitRetries
            : rateLimitsAreWaits() ? "deadline" : "counted")
        + ", budget=" + budget + (budget != null ? ", onBudgetExhausted=" + onBudgetExhausted : "")
        + ", listeners=" + listeners.size() + "]";
  }
}
