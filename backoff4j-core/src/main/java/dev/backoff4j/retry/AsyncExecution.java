package dev.backoff4j.retry;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.spi.Futures;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.time.ScheduledTask;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The asynchronous executor. Waits are tasks on the policy's {@link dev.backoff4j.time.TimeSource}; no
 * thread sleeps. The returned future is the single source of truth: once it is done (completed or
 * cancelled by the caller) no further attempt starts.
 */
final class AsyncExecution<T> {

  private final RetryPolicy<?> policy;
  private final AsyncAttempt<T> attempt;
  private final ExecutionState state;
  private final CompletableFuture<T> future = new CompletableFuture<>();

  private ScheduledTask pendingRetry;
  private CompletableFuture<T> inFlight;
  /** The budget claim a scheduled retry waits for, or {@code null}. */
  private RetryBudget.Claim waitingFor;
  private boolean backoffOver;

  private AsyncExecution(RetryPolicy<?> policy, AsyncAttempt<T> attempt, RetryListener extra) {
    this.policy = policy;
    this.attempt = attempt;
    this.state = new ExecutionState(policy, extra);
  }

  static <T> CompletableFuture<T> start(RetryPolicy<?> policy, AsyncAttempt<T> attempt, RetryListener extra) {
    AsyncExecution<T> execution = new AsyncExecution<>(policy, attempt, extra);
    execution.future.whenComplete((ignoredResult, ignoredFailure) -> {
      if (execution.future.isCancelled()) {
        execution.onCancelled();
      }
    });
    execution.runAttempt();
    return execution.future;
  }

  private void runAttempt() {
    CompletionStage<T> stage;
    synchronized (this) {
      if (future.isDone()) {
        return;
      }
      pendingRetry = null;
      state.beginAttempt();
    }
    try {
      stage = attempt.run(state);
      if (stage == null) {
        throw new NullPointerException("the attempt returned null instead of a CompletionStage");
      }
    } catch (Throwable t) {
      onOutcome(null, t);
      return;
    }
    CompletableFuture<T> current = stage.toCompletableFuture();
    AtomicBoolean settled = new AtomicBoolean();
    ScheduledTask timer = null;
    synchronized (this) {
      if (future.isDone()) {
        current.cancel(true);
        return;
      }
      inFlight = current;
      Optional<Duration> timeout = state.attemptTimeout();
      if (timeout.isPresent()) {
        int number = state.attempt();
        Duration limit = timeout.get();
        timer = policy.timeSource().schedule(limit.toNanos(), () -> {
          if (settled.compareAndSet(false, true)) {
            current.cancel(true);
            onOutcome(null, new AttemptTimeoutException(number, limit));
          }
        });
      }
    }
    ScheduledTask attemptTimer = timer;
    current.whenComplete((result, failure) -> {
      if (settled.compareAndSet(false, true)) {
        if (attemptTimer != null) {
          attemptTimer.cancel();
        }
        onOutcome(result, Futures.unwrap(failure));
      }
    });
  }

  private synchronized void onOutcome(T result, Throwable failure) {
    inFlight = null;
    if (future.isDone()) {
      return;
    }
    switch (state.decide(result, failure, null)) {
      case SUCCEED:
        future.complete(result);
        break;
      case GIVE_UP:
        if (state.lastFailure() != null) {
          future.completeExceptionally(RetryGaveUp.attach(state.lastFailure(), state.history()));
        } else {
          @SuppressWarnings("unchecked")
          T last = (T) state.lastResult();
          future.complete(last);
        }
        break;
      default:
        RetryBudget.Claim claim = state.pendingClaim();
        if (claim == null) {
          pendingRetry = policy.timeSource().schedule(state.nextDelayNanos(), this::startRetry);
        } else {
          waitingFor = claim;
          backoffOver = false;
          pendingRetry = policy.timeSource().schedule(state.nextDelayNanos(), () -> afterBackoff(claim));
          // Paid by a deposit: the budget completes the claim from its scheduler, never under a lock of ours.
          claim.onPaid(() -> onPaid(claim));
        }
    }
  }

  /** The backoff before a retry in line for the budget is over: go if paid, else wait on. */
  private synchronized void afterBackoff(RetryBudget.Claim claim) {
    if (future.isDone() || waitingFor != claim) {
      return;
    }
    backoffOver = true;
    if (claim.isPaid()) {
      go();
      return;
    }
    long wake = state.latestWakeNanos() - policy.timeSource().nanoTime();
    pendingRetry = policy.timeSource().schedule(Math.max(0, wake), () -> budgetWaitOver(claim));
  }

  private synchronized void onPaid(RetryBudget.Claim claim) {
    if (!future.isDone() && waitingFor == claim && backoffOver) {
      if (pendingRetry != null) {
        pendingRetry.cancel();
      }
      go();
    }
  }

  /** The latest wake for the budget: the floor pays now, or the deadline ends the execution. */
  private synchronized void budgetWaitOver(RetryBudget.Claim claim) {
    if (future.isDone() || waitingFor != claim) {
      return;
    }
    if (state.budgetWaitOver()) {
      go();
      return;
    }
    waitingFor = null;
    RetryHistory history = state.expireBudgetWait();
    if (state.lastFailure() != null) {
      future.completeExceptionally(RetryGaveUp.attach(state.lastFailure(), history));
    } else {
      @SuppressWarnings("unchecked")
      T last = (T) state.lastResult();
      future.complete(last);
    }
  }

  /** Under the lock: the retry waiting for the budget starts. */
  private void go() {
    waitingFor = null;
    pendingRetry = null;
    startRetry();
  }

  private void startRetry() {
    try {
      policy.asyncExecutor().execute(this::runAttempt);
    } catch (RejectedExecutionException rejected) {
      future.completeExceptionally(rejected);
    }
  }

  private synchronized void onCancelled() {
    waitingFor = null;
    if (pendingRetry != null) {
      pendingRetry.cancel();
      pendingRetry = null;
    }
    if (inFlight != null) {
      inFlight.cancel(true);
      inFlight = null;
    }
    state.abandon(GiveUpReason.CANCELLED);
  }
}
