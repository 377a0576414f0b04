package dev.backoff4j.retry;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.retry.event.AttemptStarted;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.retry.event.Succeeded;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The synchronous executor: attempt, decide, sleep, repeat. The first attempt runs inline with no
 * allocation; the {@link ExecutionState} is created only when the first outcome is not a success
 * (or up front when the attempt wants its context). Lives beside {@link RetryPolicy} so the fast path
 * reads its fields directly.
 */
final class SyncExecutor {

  static final int SUPPLIER = 0;
  static final int CALLABLE = 1;
  static final int RUNNABLE = 2;
  static final int ATTEMPT = 3;

  private SyncExecutor() {}

  /**
   * Runs {@code task} (of the given kind) under {@code policy}. Throws whatever the last attempt threw,
   * checked or not: the public signatures declare what the task can throw.
   */
  @SuppressWarnings("unchecked")
  static <T, X extends Exception> T run(RetryPolicy<?> policy, Object task, int kind, RetryListener extra) throws X {
    ExecutionState state;
    Object result = null;
    Throwable failure = null;
    Verdict verdict = null;
    if (kind == ATTEMPT) {
      state = new ExecutionState(policy, extra);
      state.beginAttempt();
      try {
        result = invoke(task, kind, state);
      } catch (Throwable t) {
        failure = t;
      }
    } else {
      // Fast path: the first attempt without allocating. Success returns from here. A clock read
      // costs more than the rest of this path, so the first attempt is timed only when a deadline or
      // a listener needs its start; otherwise the execution's clock starts when that attempt fails.
      boolean timed = policy.timesFirstAttempt;
      long start = timed ? policy.timeSource().nanoTime() : 0L;
      RetryBudget budget = policy.budget;
      if (budget != null) {
        budget.recordRequest();
      }
      if (policy.notifiesEveryAttempt) {
        notifyStarted(policy);
      }
      try {
        result = invoke(task, kind, null);
      } catch (Throwable t) {
        failure = t;
      }
      if (failure == null) {
        try {
          verdict = ((RetryClassifier<Object>) policy.classifier()).classify(result, null);
        } catch (RuntimeException | Error classifierFailure) {
          failure = classifierFailure; // as ExecutionState.decide treats it: the classifier's failure stops
          verdict = Verdict.STOP;
        }
        if (verdict != null && verdict.kind() == Verdict.Kind.SUCCESS) {
          if (budget != null) {
            budget.recordSuccess();
          }
          if (policy.notifiesEveryAttempt) {
            notifySucceeded(policy, start, result);
          }
          return (T) result;
        }
      }
      state = new ExecutionState(policy, null, timed ? start : policy.timeSource().nanoTime());
    }

    while (true) {
      ExecutionState.Step step = state.decide(result, failure, verdict);
      verdict = null;
      if (step == ExecutionState.Step.SUCCEED) {
        return (T) result;
      }
      if (step == ExecutionState.Step.GIVE_UP) {
        if (state.lastFailure() != null) {
          throw SyncExecutor.<RuntimeException>sneaky(RetryGaveUp.attach(state.lastFailure(), state.history()));
        }
        return (T) state.lastResult();
      }
      try {
        policy.timeSource().sleep(state.nextDelayNanos());
        if (!awaitBudget(policy, state)) {
          RetryHistory history = state.expireBudgetWait();
          if (state.lastFailure() != null) {
            throw SyncExecutor.<RuntimeException>sneaky(RetryGaveUp.attach(state.lastFailure(), history));
          }
          return (T) state.lastResult();
        }
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        RetryHistory history = state.abandon(GiveUpReason.INTERRUPTED);
        throw new RetryInterruptedException(history, state.lastFailure());
      }
      state.beginAttempt();
      result = null;
      failure = null;
      try {
        result = invoke(task, kind, state);
      } catch (Throwable t) {
        failure = t;
      }
    }
  }

  /**
   * After the backoff, waits while the retry is in line for the budget: until it is paid, or the floor
   * pays it at its due time; {@code false} when the deadline came first.
   */
  private static boolean awaitBudget(RetryPolicy<?> policy, ExecutionState state) throws InterruptedException {
    RetryBudget.Claim claim = state.pendingClaim();
    if (claim == null) {
      return true;
    }
    java.util.concurrent.Future<Void> paid = claim.whenPaid();
    long left;
    while (!claim.isPaid() && (left = state.latestWakeNanos() - policy.timeSource().nanoTime()) > 0) {
      policy.timeSource().await(paid, left);
    }
    return state.budgetWaitOver();
  }

  @SuppressWarnings("unchecked")
  private static Object invoke(Object task, int kind, ExecutionState state) throws Exception {
    switch (kind) {
      case SUPPLIER:
        return ((Supplier<Object>) task).get();
      case CALLABLE:
        return ((Callable<Object>) task).call();
      case RUNNABLE:
        ((Runnable) task).run();
        return null;
      default:
        return ((Attempt<Object, Exception>) task).run(state);
    }
  }

  private static void notifyStarted(RetryPolicy<?> policy) {
    AttemptStarted event = new AttemptStarted(1, Duration.ZERO);
    ExecutionState.notifyAll(policy.listeners, listener -> listener.onAttemptStarted(event));
  }

  private static void notifySucceeded(RetryPolicy<?> policy, long start, Object result) {
    Duration elapsed = Duration.ofNanos(policy.timeSource().nanoTime() - start);
    AttemptRecord attempt = new AttemptRecord(1, Duration.ZERO, elapsed, null, result, null);
    ExecutionState.notifyAll(policy.listeners, listener -> listener.onAttemptFinished(attempt));
    Succeeded event = new Succeeded(1, elapsed, Duration.ZERO);
    ExecutionState.notifyAll(policy.listeners, listener -> listener.onSuccess(event));
  }

  @SuppressWarnings("unchecked")
  private static <X extends Throwable> X sneaky(Throwable failure) throws X {
    throw (X) failure;
  }
}
