package dev.backoff4j.openai.pacing.internal;

import dev.backoff4j.openai.headers.RateLimits;
import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.openai.pacing.Paced;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerListener;
import dev.backoff4j.openai.pacing.PacerStats;
import dev.backoff4j.openai.pacing.Paused;
import dev.backoff4j.openai.pacing.TokenEstimate;
import dev.backoff4j.openai.pacing.TokenEstimator;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import dev.backoff4j.openai.pacing.SharedStoreBack;
import dev.backoff4j.openai.pacing.SharedStoreDown;
import dev.backoff4j.openai.spi.SharedPacingStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pacer {@link Pacer.Builder} builds: reservations per rate-limit scope, each scope a {@link Lane}.
 * The pipeline's pacing step drives it through {@link #reserve}, {@link #onResponse},
 * {@link #onRateLimited} and {@link #cancel}; see {@link Pacer} for what it learns and how it waits.
 * Thread-safe.
 */
public final class DefaultPacer implements Pacer {

  private final double requestsPerMinute;
  private final double tokensPerMinute;
  private final long assumedCompletionTokens;
  private final Duration pauseWithoutHint;
  private final Duration jitterAllowance;
  private final TimeSource time;
  private final TokenEstimator estimator;
  private final List<PacerListener> listeners;
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

  private final LongAdder reservations = new LongAdder();
  private final LongAdder paced = new LongAdder();
  private final LongAdder totalWaitNanos = new LongAdder();
  private final LongAccumulator longestWaitNanos = new LongAccumulator(Math::max, 0);
  private final AtomicLong pauses = new AtomicLong();

  /** While the shared store is down, one reservation in this interval asks it again; the rest pace alone at once. */
  static final long PROBE_INTERVAL_NANOS = 250_000_000L;
  private final SharedPacingStore store;
  private final AtomicBoolean storeDown = new AtomicBoolean();
  private volatile long storeDownSinceNanos;
  private final AtomicLong nextProbeNanos = new AtomicLong();

  /** The settings {@link Pacer.Builder} validated. */
  public record Settings(double requestsPerMinute, double tokensPerMinute, long assumedCompletionTokens,
      Duration pauseWithoutHint, Duration jitterAllowance, TimeSource time, TokenEstimator estimator,
      List<PacerListener> listeners, SharedPacingStore sharedStore) {}

  public DefaultPacer(Settings settings) {
    this.requestsPerMinute = settings.requestsPerMinute();
    this.tokensPerMinute = settings.tokensPerMinute();
    this.assumedCompletionTokens = settings.assumedCompletionTokens();
    this.pauseWithoutHint = settings.pauseWithoutHint();
    this.jitterAllowance = settings.jitterAllowance();
    this.time = settings.time();
    this.estimator = settings.estimator();
    this.listeners = List.copyOf(settings.listeners());
    this.store = settings.sharedStore();
  }

  /** The store the limits are shared through; empty when this process paces alone. */
  public Optional<SharedPacingStore> sharedStore() {
    return Optional.ofNullable(store);
  }

  /** The clock that measures refills and waits; waiting callers sleep or schedule on it. */
  public TimeSource timeSource() {
    return time;
  }

  /** How requests are priced. */
  public TokenEstimator estimator() {
    return estimator;
  }

  /**
   * Reserves capacity for one request costing {@code estimate}, never blocking: the caller waits
   * {@link Reservation#waitTime()} and then sends. Every reservation must be followed by exactly one
   * of {@link #onResponse}, {@link #onRateLimited}, {@link #onNoAnswer} or {@link #cancel}.
   */
  public Reservation reserve(TokenEstimate estimate) {
    Objects.requireNonNull(estimate, "estimate");
    Lane lane = lane(estimate.model());
    long cost = cost(lane, estimate);
    return admitted(new Reservation(lane, lane.reserve(cost, time.nanoTime()), estimate.promptTokens()));
  }

  /**
   * Reserves through the shared store when the pacer has one and the scope's limits are known:
   * queued with the whole fleet's reservations; while the store is down (or for a scope still
   * learning its limits), like {@link #reserve(TokenEstimate)}, on this process's share of the
   * limits. The future completes on the store's thread (or at once); never exceptionally for a
   * store problem.
   *
   * @param account the API and account the request is for (its limit group is replaced by the
   *     request's model); {@code null} to pace locally
   */
  public CompletableFuture<Reservation> reserve(TokenEstimate estimate, SharedPacingStore.Scope account) {
    Objects.requireNonNull(estimate, "estimate");
    if (store == null || account == null) {
      return CompletableFuture.completedFuture(reserve(estimate));
    }
    Lane lane = lane(estimate.model());
    SharedPacingStore.Limits limits = lane.sharedLimits();
    if (limits == null) {
      return CompletableFuture.completedFuture(reserve(estimate));
    }
    long cost = cost(lane, estimate);
    SharedPacingStore.Scope scope = account.withLimitGroup(lane.model());
    long asked = time.nanoTime();
    if (!mayAskStore(asked)) {
      return CompletableFuture.completedFuture(alone(lane, scope, limits, cost, estimate, asked));
    }
    CompletableFuture<SharedPacingStore.Outcome> answer;
    try {
      answer = store.reserve(scope, limits, cost);
    } catch (RuntimeException e) {
      answer = CompletableFuture.completedFuture(
          new SharedPacingStore.Unavailable("the store failed: " + e.getClass().getSimpleName()));
    }
    return answer.handle((outcome, failure) -> {
      long now = time.nanoTime();
      if (failure == null && outcome instanceof SharedPacingStore.Reserved reserved) {
        storeAnswered(now);
        long wait = Math.max(0, reserved.waitNanos() - (now - asked));
        return admitted(new Reservation(lane, lane.reserveShared(cost, now, wait), estimate.promptTokens(), scope,
            limits, reserved));
      }
      String reason = failure != null ? "the store failed: " + failure.getClass().getSimpleName()
          : outcome instanceof SharedPacingStore.Unavailable unavailable ? unavailable.reason() : "no answer";
      storeFailed(reason, store.liveInstances(scope), now);
      return alone(lane, scope, limits, cost, estimate, now);
    });
  }

  private Reservation alone(Lane lane, SharedPacingStore.Scope scope, SharedPacingStore.Limits limits, long cost,
      TokenEstimate estimate, long now) {
    Lane.Ticket ticket = lane.reserveAlone(cost, now, store.liveInstances(scope));
    return admitted(new Reservation(lane, ticket, estimate.promptTokens(), scope, limits, null));
  }

  private static long cost(Lane lane, TokenEstimate estimate) {
    return lane.calibratedPrompt(estimate.promptTokens())
        + (estimate.total(lane.assumedCompletionTokens()) - estimate.promptTokens());
  }

  private Reservation admitted(Reservation reservation) {
    reservations.increment();
    long wait = reservation.ticket.waitNanos();
    if (wait > 0) {
      recordWait(wait);
      Paced event = new Paced(reservation.model(), reservation.tokens(), Duration.ofNanos(wait));
      notifyListeners(listener -> listener.onPaced(event));
    }
    return reservation;
  }

  /** While the store is down, one reservation per probe interval asks it; the others do not wait for its timeout. */
  private boolean mayAskStore(long now) {
    if (!storeDown.get()) {
      return true;
    }
    long next = nextProbeNanos.get();
    return now >= next && nextProbeNanos.compareAndSet(next, now + PROBE_INTERVAL_NANOS);
  }

  private void storeFailed(String reason, int instances, long now) {
    nextProbeNanos.set(now + PROBE_INTERVAL_NANOS);
    if (storeDown.compareAndSet(false, true)) {
      storeDownSinceNanos = now;
      SharedStoreDown event = new SharedStoreDown(reason, instances);
      notifyListeners(listener -> listener.onSharedStoreDown(event));
    }
  }

  private void storeAnswered(long now) {
    if (storeDown.get() && storeDown.compareAndSet(true, false)) {
      SharedStoreBack event = new SharedStoreBack(Duration.ofNanos(Math.max(0, now - storeDownSinceNanos)));
      notifyListeners(listener -> listener.onSharedStoreBack(event));
    }
  }

  /** Whether the last reservation through the shared store found it down (and it has not answered since). */
  public boolean sharedStoreDown() {
    return storeDown.get();
  }

  /**
   * The cold start of the request's scope, before it reserves: {@code null} when the scope knows its
   * limits (a seed or a header) and holds nobody back; else the request's place, whose
   * {@link ColdTicket#turn()} completes (on {@code executor}, if not at once) when it may go on. Every
   * ticket must be followed by one {@link #exitColdStart}.
   */
  public ColdTicket enterColdStart(TokenEstimate estimate, Executor executor) {
    return lane(estimate.model()).enterCold(executor, time.nanoTime());
  }

  /**
   * The request holding {@code ticket} is done (after the pacer learned from its response, if any),
   * or gave up its place: lets the next ones go.
   *
   * @param responded whether the server answered (any status)
   */
  public void exitColdStart(ColdTicket ticket, boolean responded) {
    long now = time.nanoTime();
    for (ColdTicket next : ticket.lane.exitCold(ticket, responded)) {
      if (now > next.enteredAtNanos) {
        recordWait(now - next.enteredAtNanos);
      }
      next.release();
    }
  }

  /**
   * Reserves and blocks the calling thread until the request may go ({@link TimeSource#sleep}).
   *
   * @throws InterruptedException if interrupted while waiting; the reservation is then given back
   */
  public Reservation acquire(TokenEstimate estimate) throws InterruptedException {
    Reservation reservation = reserve(estimate);
    try {
      if (reservation.ticket.waitNanos() > 0) {
        time.sleep(reservation.ticket.waitNanos());
      }
      long more;
      while ((more = pauseLeftNanos(reservation)) > 0) {
        time.sleep(more);
      }
    } catch (InterruptedException e) {
      cancel(reservation);
      throw e;
    }
    return reservation;
  }

  /**
   * Time left in a pause that a 429 started after {@code reservation} was made: a caller who has
   * waited its reservation's time checks this before sending, and waits again while it is positive.
   */
  public Duration pauseLeft(Reservation reservation) {
    return Duration.ofNanos(pauseLeftNanos(reservation));
  }

  private long pauseLeftNanos(Reservation reservation) {
    long left = reservation.lane.pauseLeftNanos(time.nanoTime());
    if (left > 0) {
      recordWait(left);
    }
    return left;
  }

  /**
   * The request was sent but no answer will come to learn from (the connection failed, it timed out,
   * it was cancelled in flight): the server may have charged it, so nothing is given back, but it no
   * longer counts as possibly charged after later answers.
   */
  public void onNoAnswer(Reservation reservation) {
    reservation.lane.settle(reservation.ticket);
  }

  /** The request was never sent (cancelled, timed out while waiting): its capacity is given back. */
  public void cancel(Reservation reservation) {
    reservation.lane.refund(reservation.ticket, time.nanoTime());
    if (reservation.shared != null) {
      quietly(() -> store.cancel(reservation.scope, reservation.limits, reservation.shared));
    }
  }

  /**
   * Learns from a response to the request (any status but a rate-limit 429, which goes to
   * {@link #onRateLimited}): its rate-limit headers and, if known, its {@code usage}.
   *
   * @param usage the usage the response reports, or {@code null}
   */
  public void onResponse(Reservation reservation, RateLimits limits, Usage usage) {
    long now = time.nanoTime();
    reservation.lane.learn(reservation.ticket, limits, now);
    if (usage != null) {
      reservation.lane.usage(reservation.promptEstimate, usage.promptTokens(), usage.completionPerChoice(),
          reservation.tokens(), usage.totalTokens(), now);
    }
    publish(reservation, limits);
    SharedPacingStore.Reserved shared = reservation.shared;
    if (shared != null && usage != null && usage.totalTokens() >= 0 && shared.tokens() > 0) {
      // The fleet's token count has no headers to learn from: usage is the correction.
      long delta = usage.totalTokens() - shared.tokens();
      if (delta != 0) {
        quietly(() -> store.correctTokens(reservation.scope, reservation.limits, delta));
      }
    }
  }

  /** Hands limits the headers taught to the store, which writes only changes that matter. */
  private void publish(Reservation reservation, RateLimits limits) {
    if (reservation.scope == null || limits.isEmpty()) {
      return;
    }
    SharedPacingStore.Limits learned = reservation.lane.sharedLimits();
    if (learned != null) {
      quietly(() -> store.publishLimits(reservation.scope, learned));
    }
  }

  /** A store's fire-and-forget call: its failure is its own, never the request's. */
  private static void quietly(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException ignored) {
      // The contract says it does not throw; if one does, pacing goes on locally all the same.
    }
  }

  /**
   * A 429 for a rate limit (not a quota): learns the headers and pauses every request of the scope
   * until the hint expires, or for {@link Builder#pauseWithoutHint} without one.
   */
  public void onRateLimited(Reservation reservation, RateLimits limits, Optional<ServerHint> hint) {
    long now = time.nanoTime();
    reservation.lane.learn(reservation.ticket, limits, now);
    Duration pause = hint.map(ServerHint::delay).orElse(pauseWithoutHint);
    String source = hint.map(ServerHint::source).orElse("no hint");
    if (reservation.lane.pause(limits, pause.toNanos(), now)) {
      if (reservation.scope != null) {
        // The whole fleet pauses, not only this process: empty what ran dry (both when the headers do not say).
        boolean requests = limits.remainingRequests().isEmpty() || limits.remainingRequests().getAsLong() <= 0;
        boolean tokens = limits.remainingTokens().isEmpty() || limits.remainingTokens().getAsLong() <= 0;
        if (!requests && !tokens) {
          requests = true;
        }
        boolean drainRequests = requests;
        boolean drainTokens = tokens;
        quietly(() -> store.drain(reservation.scope, reservation.limits, drainRequests, drainTokens, pause));
      }
      publish(reservation, limits);
      pauses.incrementAndGet();
      Paused event = new Paused(reservation.model(), pause, source);
      notifyListeners(listener -> listener.onPaused(event));
    }
  }

  /**
   * What a response used, as far as pacing cares.
   *
   * @param promptTokens the server's prompt count (calibrates the estimator's); negative if unknown
   * @param completionPerChoice completion tokens per choice; negative if unknown
   * @param totalTokens prompt plus completion tokens; negative if unknown
   */
  public record Usage(long promptTokens, long completionPerChoice, long totalTokens) {}

  /** A consistent-enough snapshot (each scope is read under its own lock). */
  @Override
  public PacerStats stats() {
    long now = time.nanoTime();
    List<PacerStats.Scope> scopes = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      Lane.Snapshot s = lane.snapshot(now);
      scopes.add(new PacerStats.Scope(s.model(), limit(s.requests()), limit(s.tokens()),
          Duration.ofNanos(s.pausedNanos()), s.assumedCompletionTokens()));
    }
    scopes.sort(Comparator.comparing(PacerStats.Scope::model));
    return new PacerStats(reservations.sum(), paced.sum(), Duration.ofNanos(totalWaitNanos.sum()),
        Duration.ofNanos(longestWaitNanos.get()), pauses.get(), scopes);
  }

  private static PacerStats.Limit limit(Lane.BucketView view) {
    return new PacerStats.Limit(view.known(), view.fromHeaders(), view.capacity(), view.perMinute(), view.available());
  }

  private Lane lane(String model) {
    return lanes.computeIfAbsent(model,
        m -> new Lane(m, requestsPerMinute, tokensPerMinute, assumedCompletionTokens, jitterAllowance.toNanos(),
            time.nanoTime()));
  }

  private void recordWait(long nanos) {
    paced.increment();
    totalWaitNanos.add(nanos);
    longestWaitNanos.accumulate(nanos);
  }

  private void notifyListeners(java.util.function.Consumer<PacerListener> call) {
    for (PacerListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException ignored) {
        // Observing the pacer must never change what it does.
      }
    }
  }

  @Override
  public String toString() {
    return "Pacer[rpm=" + (Double.isNaN(requestsPerMinute) ? "learned" : requestsPerMinute)
        + ", tpm=" + (Double.isNaN(tokensPerMinute) ? "learned" : tokensPerMinute)
        + (store != null ? ", shared through " + store : "") + "]";
  }
}
