package dev.backoff4j.openai.pacing.internal;

import dev.backoff4j.openai.pacing.internal.Lane;
import java.time.Duration;

/**
 * Capacity reserved by {@link Pacer#reserve}: one request and {@link #tokens()} tokens in the lane of
 * {@link #model()}. Send after {@link #waitTime()}; then hand the response (or its failure) back to the
 * pacer through this reservation so it can learn. Immutable.
 */
public final class Reservation {

  final Lane lane;
  final Lane.Ticket ticket;
  final long promptEstimate;

  Reservation(Lane lane, Lane.Ticket ticket, long promptEstimate) {
    this.lane = lane;
    this.ticket = ticket;
    this.promptEstimate = promptEstimate;
  }

  /** The rate-limit scope: the request's model, {@code ""} when it names none. */
  public String model() {
    return lane.model();
  }

  /** The tokens reserved: the estimate of what the server will charge. */
  public long tokens() {
    return ticket.tokens();
  }

  /** How long to wait before sending so the server's buckets are not exceeded; zero when none. */
  public Duration waitTime() {
    return Duration.ofNanos(ticket.waitNanos());
  }

  @Override
  public String toString() {
    return "Reservation[" + model() + ", " + tokens() + " tokens, wait " + waitTime() + "]";
  }
}
