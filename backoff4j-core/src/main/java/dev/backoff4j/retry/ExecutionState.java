package dev.backoff4j.retry;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.retry.event.AttemptStarted;
import dev.backoff4j.retry.event.GaveUp;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.retry.event.Succeeded;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One execution's progress and the decision procedure shared by the synchronous and asynchronous
 * executors: after each outcome, {@link #decide} answers succeed, give up, or retry after
 * {@link #nextDelayNanos()}. Not thread-safe; executors hand it from one attempt to the next.
 */
final class ExecutionState implements AttemptContext {

  /** What to do after an attempt. */
  enum Step { SUCCEED, RETRY, GIVE_UP }

  private final RetryPolicy<?> policy;
  private final List<RetryListener> listeners;
  private final boolean notifiesEveryAttempt;
  private final RetryBudget budget;
  private final TimeSource time;
  private final long startNanos;
  private final List<AttemptRecord> records = new ArrayList<>();

  private int attempt;
  private long attemptStartNanos;
  private long totalWaitNanos;
  private long pendingWaitNanos;
  private long previousDelayNanos;
  /** Rate-limit retries made so far; they grow the next rate-limit wait. */
  private int rateLimitRetries;
  /** Of those, the ones not counted as attempts ({@link RetryPolicy#rateLimitsAreWaits()}). */
  private int uncountedAttempts;
  private long previousGrowthNanos;
  /** The budget claim the pending retry waits for, or {@code null}. */
  private RetryBudget.Claim pendingClaim;
  private long latestWakeNanos;
  private long decidedAtNanos;
  private Throwable lastFailure;
  private Object lastResult;
  private long nextDelayNanos;
  private RetryHistory history;
  private boolean ended;

  /**
   * A new execution; call {@link #beginAttempt()} before the first attempt.
   *
   * @param extra a listener for this execution only, after the policy's; {@code null} for none
   */
  ExecutionState(RetryPolicy<?> policy, RetryListener extra) {
    this(policy, extra, policy.timeSource().nanoTime(), 0);
    if (budget != null) {
      budget.recordRequest();
    }
  }

  /**
   * An execution whose first attempt the caller already started at {@code startNanos} (the
   * allocation-free fast path), having recorded the request with the budget and notified listeners.
   */
  ExecutionState(RetryPolicy<?> policy, RetryListener extra, long startNanos) {
    this(policy, extra, startNanos, 1);
  }

  private ExecutionState(RetryPolicy<?> policy, RetryListener extra, long startNanos, int attempt) {
    this.policy = policy;
    this.listeners = extra == null ? policy.listeners : with(policy.listeners, extra);
    this.notifiesEveryAttempt = policy.notifiesEveryAttempt || extra != null;
    this.budget = policy.budget;
    this.time = policy.timeSource();
    this.startNanos = startNanos;
    this.attempt = attempt;
    this.attemptStartNanos = startNanos;
  }

  private static List<RetryListener> with(List<RetryListener> listeners, RetryListener extra) {
    List<RetryListener> all = new ArrayList<>(listeners.size() + 1);
    all.addAll(listeners);
    all.add(extra);
    return all;
  }

  /** Marks the start of the next attempt and tells listeners. */
  void beginAttempt() {
    attempt++;
    attemptStartNanos = time.nanoTime();
    if (pendingClaim != null) {
      pendingWaitNanos = attemptStartNanos - decidedAtNanos; // waited for the budget: as long as it took
      pendingClaim = null;
    }
    totalWaitNanos += pendingWaitNanos;
    pendingWaitNanos = 0;
    if (notifiesEveryAttempt) {
      AttemptStarted event = new AttemptStarted(attempt, elapsed());
      notify(listener -> listener.onAttemptStarted(event));
    }
  }

  /**
   * Classifies the outcome of the current attempt (unless {@code verdict} was computed already) and
   * decides what comes next, notifying listeners.
   */
  @SuppressWarnings("unchecked")
  Step decide(Object result, Throwable failure, Verdict verdict) {
    if (verdict == null) {
      try {
        verdict = ((RetryClassifier<Object>) policy.classifier()).classify(result, failure);
        if (verdict == null) {
          throw new NullPointerException("classifier returned null for " + (failure != null ? failure : result));
        }
      } catch (RuntimeException | Error classifierFailure) {
        if (failure != null) {
          failure.addSuppressed(classifierFailure);
        } else {
          failure = classifierFailure;
        }
        verdict = Verdict.STOP;
      }
    }
    if (verdict.kind() == Verdict.Kind.RETRY && isVirtualMachineError(failure)) {
      // Whatever the classifier says: another attempt would need the same memory or stack.
      verdict = Verdict.STOP;
    }
    long now = time.nanoTime();
    lastFailure = failure;
    lastResult = failure == null ? result : null;

    if (verdict.kind() == Verdict.Kind.SUCCESS && failure == null) {
      record(now, null);
      ended = true;
      if (budget != null) {
        budget.recordSuccess();
      }
      Succeeded event = new Succeeded(attempt, Duration.ofNanos(now - startNanos), Duration.ofNanos(totalWaitNanos));
      notify(listener -> listener.onSuccess(event));
      return Step.SUCCEED;
    }
    if (verdict.kind() != Verdict.Kind.RETRY) {
      return giveUp(now, GiveUpReason.NOT_RETRYABLE, null);
    }
    Optional<Duration> deadline = policy.maxElapsed();
    if (deadline.isPresent() && now - startNanos >= deadline.get().toNanos()) {
      // The deadline, not the attempt count, is why this ends (an attempt cut off by it, say).
      return giveUp(now, GiveUpReason.DEADLINE_EXCEEDED, null);
    }
    boolean rateLimited = verdict.isRateLimited();
    boolean uncounted = rateLimited && policy.rateLimitsAreWaits();
    if (uncounted ? rateLimitRetries >= policy.rateLimitRetryAllowance
        : attempt - uncountedAttempts >= policy.maxAttempts()) {
      return giveUp(now, GiveUpReason.RETRIES_EXHAUSTED, null);
    }

    Duration hint = verdict.hint().orElse(null);
    if (hint != null && hint.compareTo(policy.maxServerDelay()) > 0) {
      return giveUp(now, GiveUpReason.HINT_EXCEEDS_CAP, hint);
    }
    long delay;
    long growth = 0;
    String source;
    if (rateLimited) {
      // A rate limit waits at least the hint; each further one in this execution waits longer, so
      // callers that keep meeting a full bucket spread out instead of retrying in step.
      int limited = rateLimitRetries + 1;
      if (hint != null) {
        growth = limited == 1 ? 0 : backoff(limited - 1, previousGrowthNanos);
        delay = saturatedAdd(hint.toNanos(), growth);
        source = verdict.hintSource().orElse("server") + (growth > 0 ? "+" + RetryScheduled.BACKOFF : "");
      } else {
        growth = backoff(limited, previousGrowthNanos);
        delay = growth;
        source = RetryScheduled.BACKOFF;
      }
    } else if (hint != null) {
      delay = hint.toNanos();
      source = verdict.hintSource().orElse("server");
    } else {
      delay = backoff(attempt - uncountedAttempts, previousDelayNanos);
      source = RetryScheduled.BACKOFF;
    }
    boolean pastDeadline = deadline.isPresent() && (now - startNanos) + delay >= deadline.get().toNanos();
    if (pastDeadline) {
      return giveUp(now, GiveUpReason.DEADLINE_EXCEEDED, hint);
    }
    long announced = delay;
    RetryBudget.Claim claim = null;
    if (!rateLimited && budget != null) {
      if (policy.onBudgetExhausted() == WhenExhausted.FAIL) {
        if (!budget.tryAcquireRetry()) {
          return giveUp(now, GiveUpReason.BUDGET_EXHAUSTED, null);
        }
      } else {
        claim = budget.claimRetry();
        if (claim.isPaid()) {
          claim = null;
        } else {
          // In line for the budget: at least the backoff, at most until the floor pays (or the
          // deadline, which ends the wait instead of a refusal made now).
          long latest = claim.dueNanos();
          if (deadline.isPresent()) {
            latest = Math.min(latest, startNanos + deadline.get().toNanos());
          }
          latestWakeNanos = latest;
          if (latest - now > delay) {
            announced = latest - now;
            source = RetryScheduled.BUDGET;
          }
        }
      }
    }

    if (rateLimited) {
      rateLimitRetries++;
      previousGrowthNanos = growth;
      if (uncounted) {
        uncountedAttempts++;
      }
    } else {
      previousDelayNanos = delay;
    }
    pendingClaim = claim;
    decidedAtNanos = now;
    pendingWaitNanos = delay;
    nextDelayNanos = delay;
    record(now, Duration.ofNanos(announced));
    RetryScheduled event = new RetryScheduled(attempt, Duration.ofNanos(announced), source, failure, lastResult);
    notify(listener -> listener.onRetryScheduled(event));
    return Step.RETRY;
  }

  private long backoff(int retry, long previousNanos) {
    return Backoff.delayNanos(policy.jitter(), policy.initialDelay().toNanos(), policy.multiplier(),
        policy.maxDelay().toNanos(), retry, previousNanos);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * Ends the execution because its thread was interrupted or its future cancelled. The wait that was
   * under way does not count as waited.
   */
  RetryHistory abandon(GiveUpReason reason) {
    if (ended) {
      return history; // a late cancel must not report a second ending
    }
    ended = true;
    withdrawClaim(); // the retry it waited for will not be made
    pendingWaitNanos = 0;
    history = new RetryHistory(records, Duration.ofNanos(totalWaitNanos), elapsed(), reason, null);
    GaveUp event = new GaveUp(history, lastFailure, lastResult);
    notify(listener -> listener.onGiveUp(event));
    return history;
  }

  /**
   * Ends the execution at its deadline while its retry waited in line for the budget: the wait counts
   * as waited; the claim goes back.
   */
  RetryHistory expireBudgetWait() {
    if (ended) {
      return history;
    }
    long now = time.nanoTime();
    ended = true;
    withdrawClaim();
    totalWaitNanos += now - decidedAtNanos;
    pendingWaitNanos = 0;
    history = new RetryHistory(records, Duration.ofNanos(totalWaitNanos), Duration.ofNanos(now - startNanos),
        GiveUpReason.DEADLINE_EXCEEDED, null);
    GaveUp event = new GaveUp(history, lastFailure, lastResult);
    notify(listener -> listener.onGiveUp(event));
    return history;
  }

  private void withdrawClaim() {
    RetryBudget.Claim claim = pendingClaim;
    pendingClaim = null;
    if (claim != null && !claim.isPaid() && budget != null) {
      budget.withdraw(claim);
    }
  }

  /**
   * The claim the retry decided last waits for, unpaid when decided; {@code null} when the retry
   * needs only its delay. The retry may start once the delay is over and the claim is paid, or at
   * {@link #latestWakeNanos()}: then {@link #budgetWaitOver()} says whether it goes or gives up.
   */
  RetryBudget.Claim pendingClaim() {
    return pendingClaim;
  }

  /** When a retry in line for the budget stops waiting: the claim's due time, or the deadline if sooner. */
  long latestWakeNanos() {
    return latestWakeNanos;
  }

  /**
   * The latest wake came with the claim unpaid: at its due time the floor pays it ({@code true}, the
   * retry goes); at the deadline the retry is not made ({@code false}; call {@link #expireBudgetWait()}).
   */
  boolean budgetWaitOver() {
    RetryBudget.Claim claim = pendingClaim;
    if (claim == null || claim.isPaid()) {
      return true;
    }
    if (time.nanoTime() - claim.dueNanos() >= 0 && claim.dueNanos() != Long.MAX_VALUE) {
      budget.settleDue(claim);
      return true;
    }
    return false;
  }

  private Step giveUp(long now, GiveUpReason reason, Duration rejectedHint) {
    record(now, null);
    ended = true;
    history = new RetryHistory(records, Duration.ofNanos(totalWaitNanos), Duration.ofNanos(now - startNanos),
        reason, rejectedHint);
    GaveUp event = new GaveUp(history, lastFailure, lastResult);
    notify(listener -> listener.onGiveUp(event));
    return Step.GIVE_UP;
  }

  private void record(long now, Duration waitAfter) {
    AttemptRecord record = new AttemptRecord(attempt, Duration.ofNanos(attemptStartNanos - startNanos),
        Duration.ofNanos(now - attemptStartNanos), lastFailure, lastResult, waitAfter);
    records.add(record);
    if (notifiesEveryAttempt) {
      notify(listener -> listener.onAttemptFinished(record));
    }
  }

  private void notify(Consumer<RetryListener> call) {
    notifyAll(listeners, call);
  }

  /** Calls every listener, ignoring what they throw: observing an execution must never change its outcome. */
  static void notifyAll(List<RetryListener> listeners, Consumer<RetryListener> call) {
    for (RetryListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException ignored) {
        // a broken listener is the listener's problem
      }
    }
  }

  /** The wait decided by the last {@link Step#RETRY}. */
  long nextDelayNanos() {
    return nextDelayNanos;
  }

  /** The history, once the execution gave up; {@code null} after a success. */
  RetryHistory history() {
    return history;
  }

  Throwable lastFailure() {
    return lastFailure;
  }

  Object lastResult() {
    return lastResult;
  }

  // ---- AttemptContext ----

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Duration elapsed() {
    return Duration.ofNanos(time.nanoTime() - startNanos);
  }

  @Override
  public Optional<Duration> timeLeft() {
    return policy.maxElapsed().map(deadline -> {
      Duration left = deadline.minus(elapsed());
      return left.isNegative() ? Duration.ZERO : left;
    });
  }

  @Override
  public Optional<Duration> attemptTimeout() {
    Optional<Duration> left = timeLeft();
    Optional<Duration> configured = policy.attemptTimeout();
    if (left.isEmpty()) {
      return configured;
    }
    if (configured.isEmpty()) {
      return left;
    }
    return Optional.of(left.get().compareTo(configured.get()) < 0 ? left.get() : configured.get());
  }

  @Override
  public Optional<Throwable> previousFailure() {
    return attempt > 1 ? Optional.ofNullable(lastFailure) : Optional.empty();
  }

  @Override
  public Optional<Object> previousResult() {
    return attempt > 1 && lastFailure == null ? Optional.ofNullable(lastResult) : Optional.empty();
  }

  @Override
  public String toString() {
    return "AttemptContext[attempt=" + attempt + ", elapsed=" + elapsed() + ", timeLeft=" + timeLeft() + "]";
  }

  /** An {@link VirtualMachineError} (out of memory, stack overflow, ...) or a failure caused by one. */
  static boolean isVirtualMachineError(Throwable failure) {
    for (int depth = 0; failure != null && depth < 32; depth++, failure = failure.getCause()) {
      if (failure instanceof VirtualMachineError) {
        return true;
      }
    }
    return false;
  }
}
