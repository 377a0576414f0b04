package dev.backoff4j.redis.internal;

import java.time.Duration;

/**
 * One reservation in the fleet's queue: the request and its tokens are charged already; the caller
 * sends once {@link #waitNanos()} has passed (measured from when the reservation was made).
 *
 * @param requestWaitNanos how long until the requests bucket covers this request
 * @param tokenWaitNanos how long until the tokens bucket covers its tokens; 0 when none charged
 * @param tokens the tokens charged (0 when the scope has no token limit or none were asked for)
 * @param requestsLeft requests left in the fleet's bucket after this one; negative = queued
 * @param tokensLeft tokens left after this one; negative = queued; 0 when none charged
 * @param dueAtEpochNanos when the reservation is covered, on the fleet's wall clock: the clock
 *     reading each bucket's wait was computed from, plus that wait (the later of the two buckets).
 *     The wait alone is relative to a moment slightly before the answer arrived.
 */
public record FleetReservation(
    long requestWaitNanos, long tokenWaitNanos, long tokens, long requestsLeft, long tokensLeft, long dueAtEpochNanos) {

  /** How long to wait before sending: the longer of the two buckets' waits. */
  public long waitNanos() {
    return Math.max(requestWaitNanos, tokenWaitNanos);
  }

  public Duration waitTime() {
    return Duration.ofNanos(waitNanos());
  }
}
