package dev.backoff4j.openai.pacing.internal;

import dev.backoff4j.openai.spi.SharedPacingStore;
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
  /** The shared scope, when the pacer has a shared store and the lane knew its limits; else null. */
  final SharedPacingStore.Scope scope;
  /** The limits handed to the store with it; null with {@link #scope}. */
  final SharedPacingStore.Limits limits;
  /** The fleet's reservation; null when paced locally (no store, or the store was down). */
  final SharedPacingStore.Reserved shared;

  Reservation(Lane lane, Lane.Ticket ticket, long promptEstimate) {
    this(lane, ticket, promptEstimate, null, null, null);
  }

  Reservation(Lane lane, Lane.Ticket ticket, long promptEstimate, SharedPacingStore.Scope scope,
      SharedPacingStore.Limits limits, SharedPacingStore.Reserved shared) {
    this.lane = lane;
    this.ticket = ticket;
    this.promptEstimate = promptEstimate;
    this.scope = scope;
    this.limits = limits;
    this.shared = shared;
  }

  /** Whether the fleet's shared store queued this reservation (rather than this process alone). */
  public boolean sharedWithFleet() {
    return shared != null;
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
    return "Reservation[" + model() + ", " + tokens() + " tokens, wait " + waitTime()
        + (shared != null ? ", fleet" : "") + "]";
  }
}
