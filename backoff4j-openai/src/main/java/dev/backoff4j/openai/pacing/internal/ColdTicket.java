package dev.backoff4j.openai.pacing.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A request's place in a lane's cold start ({@link Lane#enterCold}): {@link #turn()} completes when
 * it may go on to reserve and send. Its lane's lock guards the stage.
 */
public final class ColdTicket {

  enum Stage { QUEUED, ADMITTED, DONE }

  final CompletableFuture<Void> turn = new CompletableFuture<>();
  final Executor executor;
  final long enteredAtNanos;
  final Lane lane;
  Stage stage = Stage.QUEUED;

  ColdTicket(Lane lane, Executor executor, long enteredAtNanos) {
    this.lane = lane;
    this.executor = executor;
    this.enteredAtNanos = enteredAtNanos;
  }

  /** Completes when the request may go on. */
  public CompletableFuture<Void> turn() {
    return turn;
  }

  /** Lets a waiting request go, on its own executor (never under a lock). */
  void release() {
    try {
      executor.execute(() -> turn.complete(null));
    } catch (RejectedExecutionException e) {
      turn.complete(null);
    }
  }

  @Override
  public String toString() {
    return "ColdTicket[" + lane.model() + ", " + stage + "]";
  }
}
