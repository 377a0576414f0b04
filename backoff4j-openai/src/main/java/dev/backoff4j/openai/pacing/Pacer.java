package dev.backoff4j.openai.pacing;

import dev.backoff4j.openai.headers.RateLimits;
import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.openai.pacing.internal.Lane;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps a client under the server's rate limits instead of provoking 429s: every attempt reserves one
 * request and its estimated tokens before it is sent, and waits until the server's buckets (as the
 * pacer understands them) can take it. Shared by all threads of a client, or of several clients using
 * the same API key.
 *
 * <pre>{@code
 * Pacer pacer = Pacer.builder().requestsPerMinute(500).tokensPerMinute(200_000).build(); // seeds, optional
 * OpenAiClient client = OpenAiClient.builder().pacer(pacer).build();
 * ...
 * PacerStats stats = pacer.stats();   // waits, paced count, the limits learned
 * }</pre>
 *
 * <p>How it learns, per rate-limit scope (OpenAI limits each model separately, so each model named in
 * a request gets its own pair of buckets):
 *
 * <ul>
 *   <li>Seeds ({@link Builder#requestsPerMinute}, {@link Builder#tokensPerMinute}) give the limits
 *       before any response; without them a bucket is unknown and holds nobody back.
 *   <li>Every response, success or error, carrying {@code x-ratelimit-*} headers teaches the limit
 *       ({@code limit}), the refill rate ({@code (limit - remaining) / reset}, so windows other than a
 *       minute are learned too) and the capacity left ({@code remaining}, minus whatever was reserved
 *       after that request). Headers replace seeds.
 *   <li>A 429 for a rate limit pauses the whole scope until its hint expires ({@link
 *       Builder#pauseWithoutHint} when it has none), not only the request that got it.
 *   <li>{@code usage} calibrates the prompt estimate (the server's count over the tokenizer's, a
 *       running average), teaches the completion size to assume for requests that set no maximum,
 *       and, when the server sends no token headers, corrects the ledger by what was really used.
 * </ul>
 *
 * <p>Reservations are taken in arrival order, each waiting for the refill behind the ones before it,
 * so concurrent callers queue fairly instead of all rushing in when capacity returns. A request
 * larger than the whole token limit waits for a full bucket and is then sent (the server decides).
 * Thread-safe.
 */
public final class Pacer {

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

  private Pacer(Builder builder) {
    this.requestsPerMinute = builder.requestsPerMinute;
    this.tokensPerMinute = builder.tokensPerMinute;
    this.assumedCompletionTokens = builder.assumedCompletionTokens;
    this.pauseWithoutHint = builder.pauseWithoutHint;
    this.jitterAllowance = builder.jitterAllowance;
    this.time = builder.time;
    this.estimator = builder.estimator;
    this.listeners = List.copyOf(builder.listeners);
  }

  public static Builder builder() {
    return new Builder();
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
   * of {@link #onResponse}, {@link #onRateLimited} or {@link #cancel}.
   */
  public Reservation reserve(TokenEstimate estimate) {
    Objects.requireNonNull(estimate, "estimate");
    Lane lane = lane(estimate.model());
    long cost = lane.calibratedPrompt(estimate.promptTokens())
        + (estimate.total(lane.assumedCompletionTokens()) - estimate.promptTokens());
    Lane.Ticket ticket = lane.reserve(cost, time.nanoTime());
    reservations.increment();
    if (ticket.waitNanos() > 0) {
      recordWait(ticket.waitNanos());
      Paced event = new Paced(lane.model(), cost, Duration.ofNanos(ticket.waitNanos()));
      notifyListeners(listener -> listener.onPaced(event));
    }
    return new Reservation(lane, ticket, estimate.promptTokens());
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

  long pauseLeftNanos(Reservation reservation) {
    long left = reservation.lane.pauseLeftNanos(time.nanoTime());
    if (left > 0) {
      recordWait(left);
    }
    return left;
  }

  /** The request was never sent (cancelled, timed out while waiting): its capacity is given back. */
  public void cancel(Reservation reservation) {
    reservation.lane.refund(reservation.ticket, time.nanoTime());
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
        + ", tpm=" + (Double.isNaN(tokensPerMinute) ? "learned" : tokensPerMinute) + "]";
  }

  /**
   * Settings, validated at {@link #build()}. Defaults: no seeds (limits learned from headers),
   * 256 completion tokens assumed per choice until {@code usage} teaches better, a 1 s pause after a
   * 429 without a hint, 100 ms jitter allowance, the system clock, {@link TokenEstimator#openAi()}.
   */
  public static final class Builder {
    private double requestsPerMinute = Double.NaN;
    private double tokensPerMinute = Double.NaN;
    private long assumedCompletionTokens = 256;
    private Duration pauseWithoutHint = Duration.ofSeconds(1);
    private Duration jitterAllowance = Duration.ofMillis(100);
    private TimeSource time = TimeSource.system();
    private TokenEstimator estimator = TokenEstimator.openAi();
    private final List<PacerListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The request limit to assume before the headers tell it (a CLI's {@code --rpm}), > 0. */
    public Builder requestsPerMinute(double requestsPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
      return this;
    }

    /** The token limit to assume before the headers tell it (a CLI's {@code --tpm}), > 0. */
    public Builder tokensPerMinute(double tokensPerMinute) {
      this.tokensPerMinute = tokensPerMinute;
      return this;
    }

    /**
     * Completion tokens per choice to charge for a request that sets neither {@code max_tokens} nor
     * {@code max_completion_tokens}, until {@code usage} has taught the real average; ≥ 0.
     */
    public Builder assumedCompletionTokens(long assumedCompletionTokens) {
      this.assumedCompletionTokens = assumedCompletionTokens;
      return this;
    }

    /** How long a 429 without a hint pauses its scope, ≥ 0. */
    public Builder pauseWithoutHint(Duration pauseWithoutHint) {
      this.pauseWithoutHint = pauseWithoutHint;
      return this;
    }

    /**
     * Refill time kept in hand so that requests arriving a little early or late do not meet an empty
     * server bucket; ≥ 0, default 100 ms, never more than 5 % of a bucket. It costs no throughput
     * once the first burst is spent; 0 paces to the exact edge (tests).
     */
    public Builder jitterAllowance(Duration jitterAllowance) {
      this.jitterAllowance = jitterAllowance;
      return this;
    }

    /** The clock ({@link dev.backoff4j.testkit.VirtualTime} in tests). */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "timeSource");
      return this;
    }

    /** How requests are priced; {@link TokenEstimator#openAi()} by default. */
    public Builder estimator(TokenEstimator estimator) {
      this.estimator = Objects.requireNonNull(estimator, "estimator");
      return this;
    }

    public Builder addListener(PacerListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid setting */
    public Pacer build() {
      checkSeed("requestsPerMinute", requestsPerMinute);
      checkSeed("tokensPerMinute", tokensPerMinute);
      if (assumedCompletionTokens < 0) {
        throw new IllegalArgumentException(
            "pacer setting 'assumedCompletionTokens' must be >= 0, was " + assumedCompletionTokens);
      }
      if (pauseWithoutHint == null || pauseWithoutHint.isNegative()) {
        throw new IllegalArgumentException("pacer setting 'pauseWithoutHint' must be >= 0, was " + pauseWithoutHint);
      }
      if (jitterAllowance == null || jitterAllowance.isNegative()) {
        throw new IllegalArgumentException("pacer setting 'jitterAllowance' must be >= 0, was " + jitterAllowance);
      }
      return new Pacer(this);
    }

    private static void checkSeed(String setting, double value) {
      if (!Double.isNaN(value) && !(value > 0 && !Double.isInfinite(value))) {
        throw new IllegalArgumentException("pacer setting '" + setting + "' must be a positive number, was " + value);
      }
    }
  }
}
