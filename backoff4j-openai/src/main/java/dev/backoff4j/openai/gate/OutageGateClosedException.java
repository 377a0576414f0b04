package dev.backoff4j.openai.gate;

import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A request met a closed {@link OutageGate} set to {@link WhenClosed#FAIL} and was not sent: the
 * endpoint has been failing and fails fast was chosen. Not retried; a fallback route takes over.
 */
public class OutageGateClosedException extends OpenAiException {

  private static final long serialVersionUID = 1L;

  private final Instant failingSince;
  private final Duration failingFor;

  public OutageGateClosedException(Instant failingSince, Duration failingFor, String lastFailure) {
    super("outage gate closed: the endpoint has been failing since " + failingSince.truncatedTo(ChronoUnit.MILLIS)
        + " (for " + Durations.format(failingFor) + (lastFailure == null ? "" : ", last: " + lastFailure)
        + "); not sent (fail fast)", null);
    this.failingSince = failingSince;
    this.failingFor = failingFor;
  }

  public Instant failingSince() {
    return failingSince;
  }

  public Duration failingFor() {
    return failingFor;
  }

  @Override
  public String summary() {
    return "outage gate closed";
  }
}
