package dev.backoff4j.openai.gate;

import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The call's deadline passed while its attempt waited at a closed {@link OutageGate}: the endpoint was
 * failing the whole time, and the request was held back instead of adding to the load. The retry
 * history's reason is {@code DEADLINE_EXCEEDED}. The message says since when the endpoint has been
 * failing and how long this request waited, e.g. {@code outage gate: the endpoint has been failing
 * since 2026-01-01T00:00:00.500Z (for 9m59s, 31 probes failed, last: 503 (req_abc)); this request
 * waited 9m58s at the gate and its deadline passed}.
 */
public class OutageGateTimeoutException extends OpenAiTimeoutException {

  private static final long serialVersionUID = 1L;

  private final Instant failingSince;
  private final Duration failingFor;
  private final Duration waited;
  private final long failedProbes;
  private final String lastFailure;

  /**
   * @param failingSince when the endpoint started failing, or {@code null} if it has recovered and
   *     the request was still waiting for its turn in the slow start
   * @param failingFor how long it has been failing, or {@code null} with {@code failingSince}
   * @param waited how long this request waited at the gate
   * @param failedProbes probes that failed since the gate closed
   * @param lastFailure a short description of the last failure, or {@code null}
   * @param cause the engine's own cut at the deadline, if that is how the wait ended; else {@code null}
   */
  public OutageGateTimeoutException(Instant failingSince, Duration failingFor, Duration waited, long failedProbes,
      String lastFailure, Throwable cause) {
    super(waited, cause);
    this.failingSince = failingSince;
    this.failingFor = failingFor;
    this.waited = waited;
    this.failedProbes = failedProbes;
    this.lastFailure = lastFailure;
  }

  /** When the endpoint started failing; empty when it had recovered and the request waited its turn. */
  public Optional<Instant> failingSince() {
    return Optional.ofNullable(failingSince);
  }

  /** How long this request waited at the gate. */
  public Duration waited() {
    return waited;
  }

  @Override
  public String getMessage() {
    String outage;
    if (failingSince == null) {
      outage = "the endpoint had recovered and the requests that waited were being let through in slow start";
    } else {
      outage = "the endpoint has been failing since " + failingSince.truncatedTo(ChronoUnit.MILLIS) + " (for "
          + Durations.format(failingFor) + ", " + failedProbes + (failedProbes == 1 ? " probe" : " probes")
          + " failed" + (lastFailure == null ? "" : ", last: " + lastFailure) + ")";
    }
    return "outage gate: " + outage + "; this request waited " + Durations.format(waited)
        + " at the gate and its deadline passed";
  }

  @Override
  public String summary() {
    return "deadline passed at the outage gate (waited " + Durations.format(waited) + ")";
  }
}
