package dev.backoff4j.openai.pacing.internal;

import java.util.TreeMap;

/**
 * The client's mirror of one of the server's buckets (requests or tokens): a capacity refilled
 * continuously at a rate, from which each reservation takes its cost at once. The level may go
 * negative: that is the queue of reservations still waiting for the refill.
 *
 * <p>The server's headers correct it: a response to reservation {@code k} says how much the server
 * had left after charging {@code k}; everything reserved after {@code k} is subtracted from that, so
 * what is still queued or in flight is not forgotten. So is everything reserved before {@code k} and
 * not answered yet: concurrent requests reach the server in any order, and one of those may be
 * charged after {@code k}. For the same reason an answer only lowers the level, unless {@code k} was
 * the only request out the whole time (nothing before it unanswered, no other answer while it was
 * out): then the server's count is complete and replaces ours, up or down. Wrong, when wrong, on the
 * safe side: too low until a quiet moment corrects it, never too high.
 *
 * <p>Unknown until seeded or taught by a header: an unknown bucket never makes anyone wait. Not
 * thread-safe; its {@link Lane} locks.
 */
final class Bucket {

  private static final double NANOS_PER_MINUTE = 60e9;
  /** The margin never exceeds this share of the bucket, so the first burst stays almost whole. */
  private static final double MAX_MARGIN_SHARE = 0.05;

  /**
   * Requests reach the server with a little jitter; a bucket kept at exactly empty would reject every
   * request that arrives a moment early. Keeping this much refill time in hand absorbs the jitter
   * without lowering the rate (the steady state is still one refill per request).
   */
  private final double jitterNanos;

  Bucket(long jitterNanos) {
    this.jitterNanos = jitterNanos;
  }

  private double capacity = Double.NaN;
  private double ratePerNano;
  private double level;
  private long levelAtNanos;
  /** Everything ever reserved, so a response can tell how much was reserved after it. */
  private double reservedTotal;
  private long lastCorrectedSequence = -1;
  /** The largest deficit a rate was learned from: small deficits carry large rounding errors. */
  private double bestDeficit;
  private boolean learnedFromHeaders;
  /** Reservations sent or waiting to be, not yet answered, by sequence. */
  private final TreeMap<Long, Pending> unanswered = new TreeMap<>();
  /** Answers (and failures that may have been charged) so far. */
  private long answers;

  /** A reservation's cost, and how many answers had come when it was made. */
  private record Pending(double cost, long answersBefore) {}
  /** What the last correction's answer said was left. */
  private double correctedRemaining;

  /** Seeds a limit per minute; the bucket starts full, as a fresh server bucket does. */
  void seedPerMinute(double perMinute, long now) {
    capacity = perMinute;
    ratePerNano = perMinute / NANOS_PER_MINUTE;
    level = capacity;
    levelAtNanos = now;
  }

  boolean known() {
    return !Double.isNaN(capacity) && ratePerNano > 0;
  }

  boolean learnedFromHeaders() {
    return learnedFromHeaders;
  }


  /** Refilled level at {@code now}, never above capacity. */
  double level(long now) {
    refill(now);
    return level;
  }

  double capacity() {
    return capacity;
  }

  double ratePerNano() {
    return ratePerNano;
  }

  /**
   * When {@code cost} will fit, as nanos from {@code now}: 0 when the level covers it already. A cost
   * above the capacity waits for a full bucket (it will never fit; the server decides).
   */
  long waitNanos(double cost, long now) {
    if (!known()) {
      return 0;
    }
    refill(now);
    double needed = Math.min(cost + margin(), capacity);
    if (level >= needed) {
      return 0;
    }
    return (long) Math.ceil((needed - level) / ratePerNano);
  }

  /** What is kept in hand: the lesser of the jitter allowance's refill and 5 % of the capacity. */
  double margin() {
    return Math.min(ratePerNano * jitterNanos, capacity * MAX_MARGIN_SHARE);
  }

  /**
   * A bucket for pacing alone on {@code 1 / instances} of this one's limit (the shared store is
   * down): that share of the capacity and of the rate, starting empty — and {@code queuedNanos} of
   * refill below empty, for what is already queued — so that a fleet falling back all at once does
   * not burst. Unknown when this one is.
   */
  Bucket shareOf(int instances, long now, long queuedNanos) {
    Bucket share = new Bucket((long) jitterNanos);
    if (known()) {
      share.capacity = capacity / instances;
      share.ratePerNano = ratePerNano / instances;
      share.level = -queuedNanos * share.ratePerNano;
      share.levelAtNanos = now;
    }
    return share;
  }

  /** Takes {@code cost} now without keeping anything for corrections (a share bucket's ledger). */
  void spend(double cost, long now) {
    refill(now);
    level -= cost;
  }

  /** Takes {@code cost} now (the level may go negative); returns the running total including it. */
  double take(double cost, long now, long sequence) {
    refill(now);
    level -= cost;
    reservedTotal += cost;
    unanswered.put(sequence, new Pending(cost, answers));
    return reservedTotal;
  }

  /**
   * Reservation {@code sequence} was answered or failed on the way ({@code charged}: the server may
   * have counted it), or was given back unsent.
   */
  void settle(long sequence, boolean charged) {
    if (unanswered.remove(sequence) != null && charged) {
      answers++;
    }
  }

  /** What reservations before {@code sequence} that have no answer yet took: the server may charge them after it. */
  private double unansweredBefore(long sequence) {
    double sum = 0;
    for (Pending pending : unanswered.headMap(sequence, false).values()) {
      sum += pending.cost();
    }
    return sum;
  }

  /** Gives back what a reservation that was never sent took. */
  void refund(double cost, long now) {
    refill(now);
    level = Math.min(known() ? capacity : Double.MAX_VALUE, level + cost);
  }

  /**
   * Learns from one response's headers (each value may be absent: negative).
   *
   * @param sequence the reservation's sequence number: older responses than the last applied one
   *     carry staler news and only teach the limit and rate
   * @param reservedTotalAtReservation {@link #take}'s result for that reservation
   */
  void learn(long limit, long remaining, long resetNanos, long sequence, double reservedTotalAtReservation,
      long now) {
    if (limit <= 0) {
      return;
    }
    refill(now);
    boolean wasKnown = known();
    if (capacity != limit) {
      bestDeficit = 0; // a new limit: earlier rate observations belong to the old one
    }
    capacity = limit;
    if (ratePerNano <= 0) {
      ratePerNano = limit / NANOS_PER_MINUTE; // OpenAI's limits are per minute until a reset says otherwise
    }
    learnedFromHeaders = true;
    if (remaining < 0) {
      if (!wasKnown) {
        level = capacity - (reservedTotal - reservedTotalAtReservation) - unansweredBefore(sequence);
        levelAtNanos = now;
      }
      return;
    }
    double deficit = limit - remaining;
    if (resetNanos > 0 && deficit >= 1 && deficit >= bestDeficit) {
      ratePerNano = deficit / resetNanos;
      bestDeficit = deficit;
    }
    if (sequence > lastCorrectedSequence || !wasKnown) {
      lastCorrectedSequence = Math.max(lastCorrectedSequence, sequence);
      correctedRemaining = remaining;
      double earlier = unansweredBefore(sequence);
      double corrected = Math.min(capacity, remaining - (reservedTotal - reservedTotalAtReservation) - earlier);
      Pending pending = unanswered.get(sequence);
      boolean alone = earlier == 0 && pending != null && pending.answersBefore() == answers;
      level = !wasKnown || alone ? corrected : Math.min(level, corrected);
      levelAtNanos = now;
    } else {
      // An older answer after a newer correction, which counted it (still unanswered then, as now) as
      // possibly charged later: if the server had more left after it than after the newer one, it
      // was charged first; give it back.
      Pending assumed = unanswered.get(sequence);
      if (assumed != null && remaining > correctedRemaining) {
        level = Math.min(capacity, level + assumed.cost());
      }
    }
  }

  /** Sets the level to at most {@code value} (a 429 says the bucket is empty, whatever we thought). */
  void capLevel(double value, long now) {
    refill(now);
    level = Math.min(level, value);
  }

  /** Adds {@code delta} (a usage correction), never above capacity. */
  void adjust(double delta, long now) {
    refill(now);
    level = Math.min(known() ? capacity : Double.MAX_VALUE, level + delta);
  }

  private void refill(long now) {
    if (known() && now > levelAtNanos) {
      level = Math.min(capacity, level + (now - levelAtNanos) * ratePerNano);
    }
    levelAtNanos = Math.max(levelAtNanos, now);
  }
}
