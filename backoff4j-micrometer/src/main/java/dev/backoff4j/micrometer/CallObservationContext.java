package dev.backoff4j.micrometer;

import io.micrometer.observation.Observation;

/**
 * What a {@link CallObservationConvention} may read about one call: its operation and method from
 * the start, and, once it ended, its outcome, the reason it gave up and its attempts. Never the URL,
 * headers or body (they hold keys and prompts).
 */
public final class CallObservationContext extends Observation.Context {

  private final String method;
  private final String operation;
  private final boolean streaming;
  private volatile int attempts;
  private volatile String lastStatus = "none";
  private volatile String outcome = "unknown";
  private volatile String reason = "none";
  private volatile String exception = "none";

  CallObservationContext(String method, String operation, boolean streaming) {
    this.method = method;
    this.operation = operation;
    this.streaming = streaming;
  }

  /** {@code GET}, {@code POST}, ... */
  public String method() {
    return method;
  }

  /** The API operation named by the URL path: {@code chat.completions}, {@code embeddings}, ..., {@code other}. */
  public String operation() {
    return operation;
  }

  /** Whether the call asked for a server-sent event stream (it then ends at the first event). */
  public boolean streaming() {
    return streaming;
  }

  /** Attempts ended so far. */
  public int attempts() {
    return attempts;
  }

  /** The last attempt's status: the HTTP status, {@code io}, {@code timeout}, {@code other}; {@code none} before one ended. */
  public String lastStatus() {
    return lastStatus;
  }

  /** {@code success} or {@code failure}; {@code unknown} while the call runs. */
  public String outcome() {
    return outcome;
  }

  /** {@code none}, or why the call gave up in lower case ({@code not_retryable}, {@code deadline_exceeded}, ...). */
  public String reason() {
    return reason;
  }

  /** {@code none}, or the simple class name of the failure the caller receives. */
  public String exception() {
    return exception;
  }

  void attemptEnded(String status) {
    attempts++;
    lastStatus = status;
  }

  void ended(String outcome, String reason, String exception) {
    this.outcome = outcome;
    this.reason = reason;
    this.exception = exception;
  }
}
