package dev.backoff4j.openai.gate.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One attempt's pass through a gate: queued, let through (as a probe, within the slow-start window,
 * or straight through an open gate), and finally settled by its outcome. {@link #turn()} completes
 * when the attempt may go, exceptionally when a fail-fast gate refuses it. The gate's lock guards the
 * mutable fields.
 */
public final class Admission {

  enum Stage { QUEUED, ADMITTED, DONE }

  /** The admission of every request through an open gate: shared, never queued, settled by outcome only. */
  static final Admission OPEN = new Admission(Runnable::run, 0, Stage.ADMITTED);

  final CompletableFuture<Void> turn = new CompletableFuture<>();
  final Executor executor;
  final long enteredAtNanos;
  Stage stage;
  boolean probe;
  /** The slow start this admission is counted in; -1 for none. */
  long window = -1;
  Admission previous;
  Admission next;

  Admission(Executor executor, long enteredAtNanos, Stage stage) {
    this.executor = executor;
    this.enteredAtNanos = enteredAtNanos;
    this.stage = stage;
    if (stage == Stage.ADMITTED) {
      turn.complete(null);
    }
  }

  /** Completes when the attempt may be sent; exceptionally with the refusal of a fail-fast gate. */
  public CompletableFuture<Void> turn() {
    return turn;
  }

  /** Whether this attempt was let through as the probe of a closed gate. */
  public boolean isProbe() {
    return probe;
  }

  /** Lets the waiting attempt go, continuing on its own executor (never the caller's lock or timer thread). */
  void release() {
    try {
      executor.execute(() -> turn.complete(null));
    } catch (RejectedExecutionException e) {
      turn.complete(null);
    }
  }

  @Override
  public String toString() {
    return "Admission[" + stage + (probe ? ", probe" : "") + "]";
  }
}
