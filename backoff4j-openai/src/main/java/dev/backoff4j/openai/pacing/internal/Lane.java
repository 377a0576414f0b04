package dev.backoff4j.openai.pacing.internal;

import dev.backoff4j.openai.headers.RateLimits;
import dev.backoff4j.openai.spi.SharedPacingStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The pacing state of one rate-limit scope (OpenAI limits each model separately): a request bucket, a
 * token bucket, a pause after a 429, and the completion size to assume when a request sets no
 * maximum. Thread-safe: one short lock per call, never held while anyone waits.
 *
 * <p>Cold start: until a seed or a response's headers have told the lane its limits, it lets one
 * request go alone and one more for each response (so the requests in flight double each round trip:
 * 1, 2, 4, …), instead of sending a first burst blind. The first limit learned ends it (the buckets
 * take over); so does a window of {@value #WARM_AT} (a server that sends no limits).
 */
public final class Lane {

  /** Weight of each new completion size in the running average. */
  private static final double COMPLETION_SMOOTHING = 0.2;
  /** The cold-start window at which a lane that has learned no limit stops holding requests back. */
  static final int WARM_AT = 64;

  private final String model;
  private final Bucket requests;
  private final Bucket tokens;
  private final RateFloor requestFloor = new RateFloor();
  private final RateFloor tokenFloor = new RateFloor();
  private long pausedUntilNanos;
  private long sequence;
  private double averageCompletion;
  /** The server's prompt count over ours, from {@code usage}: other tokenizers, other overheads. */
  private double promptRatio = 1.0;
  private boolean cold;
  private int coldWindow = 1;
  private int coldInFlight;
  private final ArrayDeque<ColdTicket> coldQueue = new ArrayDeque<>();
  private final long jitterNanos;
  /** While the shared store is down: this process's share of each limit; null otherwise. */
  private Bucket aloneRequests;
  private Bucket aloneTokens;
  /** When the last reservation the fleet queued is due; pacing alone starts behind it. */
  private long sharedDueNanos = NEVER;
  /** When the last reservation made alone is due; rejoining the fleet starts behind it. */
  private long aloneDueNanos = NEVER;
  /** No such reservation yet (nano times may be negative: only differences between them count). */
  private static final long NEVER = Long.MIN_VALUE;

  /**
   * @param requestsPerMinute a seed, or NaN for none
   * @param tokensPerMinute a seed, or NaN for none
   * @param assumedCompletion completion tokens assumed per choice until usage teaches better
   * @param jitterNanos refill time kept in hand against arrival jitter
   */
  public Lane(String model, double requestsPerMinute, double tokensPerMinute, long assumedCompletion,
      long jitterNanos, long now) {
    this.model = model;
    this.requests = new Bucket(jitterNanos);
    this.tokens = new Bucket(jitterNanos);
    this.jitterNanos = jitterNanos;
    if (!Double.isNaN(requestsPerMinute)) {
      requests.seedPerMinute(requestsPerMinute, now);
    }
    if (!Double.isNaN(tokensPerMinute)) {
      tokens.seedPerMinute(tokensPerMinute, now);
    }
    this.averageCompletion = assumedCompletion;
    this.pausedUntilNanos = now;
    this.cold = !requests.known() && !tokens.known();
  }

  public String model() {
    return model;
  }

  /** What one reservation took, for corrections and refunds. */
  public record Ticket(long sequence, double requestMark, double tokenMark, long tokens, long waitNanos) {}

  /**
   * Reserves one request and {@code cost} tokens: takes them at once and answers how long the caller
   * must wait before sending, so that concurrent callers queue in order instead of all rushing at
   * the moment capacity returns.
   */
  public synchronized Ticket reserve(long cost, long now) {
    long wait = Math.max(pausedUntilNanos - now, 0);
    wait = Math.max(wait, requests.waitNanos(1, now));
    wait = Math.max(wait, tokens.waitNanos(cost, now));
    long number = ++sequence;
    double requestMark = requests.take(1, now, number);
    double tokenMark = tokens.take(cost, now, number);
    return new Ticket(number, requestMark, tokenMark, cost, wait);
  }

  /**
   * Reserves one request and {@code cost} tokens whose wait the fleet decided (the shared store
   * queued it behind the whole fleet's reservations): the lane's buckets take the cost too, so they
   * keep learning from the headers and are ready if the store goes away, but only a pause after a
   * 429 adds to the fleet's wait. Ends pacing alone, if it was.
   *
   * @param fleetWaitNanos the store's wait, already shortened by the time its answer took; a
   *     positive wait gets the jitter allowance on top, as the lane's own buckets keep it in hand
   */
  public synchronized Ticket reserveShared(long cost, long now, long fleetWaitNanos) {
    aloneRequests = null;
    aloneTokens = null;
    long wait = Math.max(pausedUntilNanos - now, 0);
    if (fleetWaitNanos > 0) {
      wait = Math.max(wait, fleetWaitNanos + fleetMarginNanos());
    }
    // The lane's own buckets follow the server's headers, which count the whole fleet's requests:
    // when they say the server is emptier than the shared buckets believe, they win.
    wait = Math.max(wait, requests.waitNanos(1, now));
    wait = Math.max(wait, tokens.waitNanos(cost, now));
    // Back from pacing alone: what was queued alone goes first (the fleet's new queue does not know it).
    wait = Math.max(wait, leftUntil(aloneDueNanos, now));
    sharedDueNanos = sharedDueNanos == NEVER ? now + wait : Math.max(sharedDueNanos, now + wait);
    long number = ++sequence;
    double requestMark = requests.take(1, now, number);
    double tokenMark = tokens.take(cost, now, number);
    return new Ticket(number, requestMark, tokenMark, cost, wait);
  }

  /** Nanos from {@code now} until {@code due}; 0 when past or {@link #NEVER}. */
  private static long leftUntil(long due, long now) {
    return due == NEVER ? 0 : Math.max(0, due - now);
  }

  /** The jitter allowance as time, never more than 5 % of the request bucket's refill period. */
  private long fleetMarginNanos() {
    if (!requests.known()) {
      return jitterNanos;
    }
    return (long) Math.min(jitterNanos, requests.margin() / requests.ratePerNano());
  }

  /**
   * Reserves while the shared store cannot be used: paces on {@code 1 / instances} of the limits
   * (the fleet's other processes are assumed to do the same), from empty buckets made when the
   * outage began, behind this process's reservations the fleet had queued, so the fleet does not
   * burst when it loses its store. Like {@link #reserve} when no limit is known.
   */
  public synchronized Ticket reserveAlone(long cost, long now, int instances) {
    if (aloneRequests == null) {
      int share = Math.max(1, instances);
      // Behind this process's reservations still queued with the fleet: they are sent all the same.
      long queued = leftUntil(sharedDueNanos, now);
      aloneRequests = requests.shareOf(share, now, queued);
      aloneTokens = tokens.shareOf(share, now, queued);
    }
    long wait = Math.max(pausedUntilNanos - now, 0);
    wait = Math.max(wait, aloneRequests.waitNanos(1, now));
    wait = Math.max(wait, aloneTokens.waitNanos(cost, now));
    aloneDueNanos = aloneDueNanos == NEVER ? now + wait : Math.max(aloneDueNanos, now + wait);
    aloneRequests.spend(1, now);
    aloneTokens.spend(cost, now);
    long number = ++sequence;
    double requestMark = requests.take(1, now, number);
    double tokenMark = tokens.take(cost, now, number);
    return new Ticket(number, requestMark, tokenMark, cost, wait);
  }

  /**
   * The limits to share, as the lane knows them (seeds or headers); {@code null} while the request
   * limit is unknown (the cold start, or a server that sends no limits): such a lane paces alone.
   */
  public synchronized SharedPacingStore.Limits sharedLimits() {
    if (!requests.known() || requests.capacity() < 1) {
      return null;
    }
    long requestCapacity = (long) requests.capacity();
    Duration requestPeriod = period(requestCapacity, shareableRate(requests, requestFloor));
    if (!tokens.known() || tokens.capacity() < 1) {
      return new SharedPacingStore.Limits(requestCapacity, requestPeriod, 0, null);
    }
    long tokenCapacity = (long) tokens.capacity();
    return new SharedPacingStore.Limits(requestCapacity, requestPeriod, tokenCapacity,
        period(tokenCapacity, shareableRate(tokens, tokenFloor)));
  }

  /**
   * The rate the fleet may use: the highest rate the headers prove the server refills at least
   * ({@link RateFloor}), else, before any proof, the learned rate but no more than the capacity per
   * minute (OpenAI's unit, and the slow side of any guess). Not the lane's own estimate: it comes
   * from one deficit and can be tens of per cent high when that deficit is small, and the shared
   * buckets, unlike the lane's, have no headers correcting their level.
   */
  private static double shareableRate(Bucket bucket, RateFloor floor) {
    double proven = floor.perNano();
    if (proven > 0) {
      return Math.min(proven, bucket.ratePerNano());
    }
    return Math.min(bucket.ratePerNano(), bucket.capacity() / 60e9);
  }

  /**
   * The refill period the fleet shares: of {@value #FLEET_RATE_SHARE} of the learned rate. A rate
   * learned from headers is rounded up (the server's remaining count is a whole number), and unlike
   * the lane's own buckets the shared ones have no headers correcting their level: a fleet refilling
   * even a little faster than the server drifts into its empty bucket.
   */
  private static Duration period(long capacity, double ratePerNano) {
    return Duration.ofNanos(Math.max(1, Math.round(capacity / (ratePerNano * FLEET_RATE_SHARE))));
  }

  /** The share of the learned refill rate the fleet's shared buckets refill at. */
  static final double FLEET_RATE_SHARE = 0.98;

  /** Whether the last reservation paced alone (the shared store was down). */
  public synchronized boolean pacingAlone() {
    return aloneRequests != null;
  }

  /**
   * A request arrives while the lane may still be cold: {@code null} when it is not (go on and
   * reserve); else its place, let through at once when the window has room, or later, on
   * {@code executor}, when a response frees one.
   */
  public synchronized ColdTicket enterCold(Executor executor, long now) {
    if (!cold) {
      return null;
    }
    ColdTicket ticket = new ColdTicket(this, executor, now);
    if (coldInFlight < coldWindow && coldQueue.isEmpty()) {
      ticket.stage = ColdTicket.Stage.ADMITTED;
      coldInFlight++;
      ticket.turn.complete(null); // nobody waits on it yet: safe under the lock
    } else {
      coldQueue.add(ticket);
    }
    return ticket;
  }

  /**
   * A cold-start request is done: answered ({@code responded}: any HTTP status, after the pacer
   * learned from it), failed without an answer, or abandoned (while waiting, or before it was sent).
   * Widens the window per answer, ends the cold start once a limit is known.
   *
   * @return the tickets to let go now (outside the lock)
   */
  public synchronized List<ColdTicket> exitCold(ColdTicket ticket, boolean responded) {
    if (ticket.stage == ColdTicket.Stage.QUEUED) {
      coldQueue.remove(ticket);
      ticket.stage = ColdTicket.Stage.DONE;
      return List.of();
    }
    if (ticket.stage != ColdTicket.Stage.ADMITTED) {
      return List.of();
    }
    ticket.stage = ColdTicket.Stage.DONE;
    coldInFlight--;
    if (cold && responded && ++coldWindow >= WARM_AT) {
      cold = false;
    }
    if (cold && (requests.known() || tokens.known())) {
      cold = false; // the server told its limits: the buckets pace from here
    }
    List<ColdTicket> released = new ArrayList<>();
    while (!coldQueue.isEmpty() && (!cold || coldInFlight < coldWindow)) {
      ColdTicket next = coldQueue.poll();
      next.stage = ColdTicket.Stage.ADMITTED;
      coldInFlight++;
      released.add(next);
    }
    return released;
  }

  /** Whether the lane still holds requests back until it learns its limits. */
  public synchronized boolean cold() {
    return cold;
  }

  /** Time left in a pause that began after the ticket was issued; 0 when none. */
  public synchronized long pauseLeftNanos(long now) {
    return Math.max(0, pausedUntilNanos - now);
  }

  /** Gives back what a reservation took when it was never sent. */
  public synchronized void refund(Ticket ticket, long now) {
    requests.refund(1, now);
    tokens.refund(ticket.tokens(), now);
    requests.settle(ticket.sequence(), false);
    tokens.settle(ticket.sequence(), false);
  }

  /**
   * The request of {@code ticket} will get no answer to learn from (it failed on the way, or was
   * cancelled in flight); the server may have counted it.
   */
  public synchronized void settle(Ticket ticket) {
    requests.settle(ticket.sequence(), true);
    tokens.settle(ticket.sequence(), true);
  }

  /** Learns limits, rates and remaining capacity from a response's headers. */
  public synchronized void learn(Ticket ticket, RateLimits limits, long now) {
    if (!limits.isEmpty()) {
      requestFloor.observe(limits.limitRequests().orElse(-1), limits.remainingRequests().orElse(-1),
          limits.resetRequests().map(Duration::toNanos).orElse(-1L));
      tokenFloor.observe(limits.limitTokens().orElse(-1), limits.remainingTokens().orElse(-1),
          limits.resetTokens().map(Duration::toNanos).orElse(-1L));
      requests.learn(limits.limitRequests().orElse(-1), limits.remainingRequests().orElse(-1),
          limits.resetRequests().map(Duration::toNanos).orElse(-1L), ticket.sequence(), ticket.requestMark(), now);
      tokens.learn(limits.limitTokens().orElse(-1), limits.remainingTokens().orElse(-1),
          limits.resetTokens().map(Duration::toNanos).orElse(-1L), ticket.sequence(), ticket.tokenMark(), now);
    }
    settle(ticket);
  }

  /**
   * A 429 for a rate limit: nobody in this lane sends before {@code pauseNanos} from now. Without
   * headers saying which bucket ran dry, both are taken to be empty.
   *
   * @return whether this extended the pause (a burst of 429s reports one pause, not one per response)
   */
  public synchronized boolean pause(RateLimits limits, long pauseNanos, long now) {
    if (limits.remainingRequests().isEmpty() && limits.remainingTokens().isEmpty()) {
      requests.capLevel(0, now);
      tokens.capLevel(0, now);
    }
    long until = now + pauseNanos;
    boolean extended = until > pausedUntilNanos;
    pausedUntilNanos = Math.max(pausedUntilNanos, until);
    return extended;
  }

  /**
   * Learns from a response's {@code usage}: the completion size to assume next time, and, when the
   * server never sent token headers (so its ledger is unknown), the difference between the estimate
   * and what was really used.
   *
   * @param estimatedPrompt our prompt count for the request
   * @param actualPrompt the server's, negative if unknown
   * @param completionPerChoice completion tokens per choice; negative if unknown
   * @param estimatedTotal what the reservation took; negative to skip the ledger correction
   */
  public synchronized void usage(long estimatedPrompt, long actualPrompt, long completionPerChoice,
      long estimatedTotal, long actualTotal, long now) {
    if (estimatedPrompt > 0 && actualPrompt > 0) {
      double ratio = Math.max(0.25, Math.min(4.0, (double) actualPrompt / estimatedPrompt));
      promptRatio += COMPLETION_SMOOTHING * (ratio - promptRatio);
    }
    if (completionPerChoice >= 0) {
      averageCompletion += COMPLETION_SMOOTHING * (completionPerChoice - averageCompletion);
    }
    if (estimatedTotal >= 0 && actualTotal >= 0 && !tokens.learnedFromHeaders()) {
      tokens.adjust(estimatedTotal - actualTotal, now);
    }
  }

  public synchronized long assumedCompletionTokens() {
    return Math.round(averageCompletion);
  }

  /** {@code promptTokens} as the server is expected to count them. */
  public synchronized long calibratedPrompt(long promptTokens) {
    return Math.round(promptTokens * promptRatio);
  }

  /** A consistent view for statistics. */
  public synchronized Snapshot snapshot(long now) {
    return new Snapshot(model, view(requests, now), view(tokens, now), Math.max(0, pausedUntilNanos - now),
        Math.round(averageCompletion));
  }

  private static BucketView view(Bucket bucket, long now) {
    if (!bucket.known()) {
      return BucketView.UNKNOWN;
    }
    return new BucketView(true, bucket.learnedFromHeaders(), (long) bucket.capacity(), bucket.ratePerNano() * 60e9,
        bucket.level(now));
  }

  /** One lane's state. */
  public record Snapshot(String model, BucketView requests, BucketView tokens, long pausedNanos,
      long assumedCompletionTokens) {}

  /** One bucket's state. */
  public record BucketView(boolean known, boolean fromHeaders, long capacity, double perMinute, double available) {
    static final BucketView UNKNOWN = new BucketView(false, false, 0, 0, 0);
  }
}
