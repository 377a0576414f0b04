package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.gate.internal.DefaultOutageGate;
import dev.backoff4j.openai.http.CallListener;
import java.time.Duration;

/**
 * What the retry step hands the steps below it about one call, as a request tag: the call's listener
 * (the gate step tells it when the call waits), and whether an attempt is waiting at the gate right
 * now — so that when the engine cuts that attempt at the deadline, the caller learns it was the
 * outage, not a slow server.
 */
public final class CallScope {

  private final CallListener listener;
  private volatile DefaultOutageGate waitingAt;
  private volatile long waitingSinceNanos;

  public CallScope(CallListener listener) {
    this.listener = listener;
  }

  public CallListener listener() {
    return listener;
  }

  void waiting(DefaultOutageGate gate, long sinceNanos) {
    waitingSinceNanos = sinceNanos;
    waitingAt = gate;
  }

  void passed() {
    waitingAt = null;
  }

  /**
   * The gate's account of the wait if an attempt is waiting at it, for a failure {@code cause} the
   * engine reported at the deadline; else {@code null}.
   */
  RuntimeException deadlinePassedAtGate(Throwable cause) {
    DefaultOutageGate gate = waitingAt;
    if (gate == null) {
      return null;
    }
    return gate.deadlinePassed(Duration.ofNanos(gate.timeSource().nanoTime() - waitingSinceNanos), cause);
  }
}
