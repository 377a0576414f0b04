package dev.backoff4j.openai.gate;

/**
 * The events of one {@link OutageGate}, for logs, metrics and progress displays; register with
 * {@link OutageGate.Settings.Builder#listener}. Every event carries the number of requests waiting at
 * that moment; {@link OutageGate#stats()} answers it (and the state) at any time, for gauges. For the
 * wait of one call, see {@code CallListener.onGateWait}.
 *
 * <p>Called on the thread that caused the event (a response's, or the scheduler's for a probe), never
 * under the gate's lock; listeners must be fast and must not throw (what they throw is ignored).
 */
public interface GateListener {

  default void onClosed(GateClosed event) {}

  default void onProbeSent(ProbeSent event) {}

  default void onProbeFailed(ProbeFailed event) {}

  default void onOpened(GateOpened event) {}

  default void onRecovered(GateRecovered event) {}
}
