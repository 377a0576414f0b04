package dev.backoff4j.openai.gate;

/** Where an {@link OutageGate} stands. */
public enum GateState {
  /** Requests pass straight through. */
  OPEN,
  /** The endpoint is failing: requests wait while one probe at a time tries it. */
  CLOSED,
  /**
   * A probe (or any request) succeeded: the waiting requests are let through in slow start (2, 3,
   * 4, … in flight, one more per success, so the window doubles each round trip) until none waits.
   */
  RECOVERING
}
