package dev.backoff4j.openai.gate;

/** What a request meeting a closed {@link OutageGate} does ({@code OutageGate.Settings.Builder#whenClosed}). */
public enum WhenClosed {
  /**
   * Wait at the gate until it opens or the call's deadline passes, holding no thread on the
   * asynchronous path (the default, and what the OpenAI preset and the CLI use). A probe that fails
   * goes back to waiting instead of using up the request's attempts, when the call has a deadline.
   */
  WAIT,
  /**
   * Fail at once with {@link OutageGateClosedException} (not retried), except the one request let
   * through as the next probe: a circuit breaker, for callers that have somewhere else to go (a
   * fallback route, a cache).
   */
  FAIL
}
