package dev.backoff4j.redis.internal;

import dev.backoff4j.redis.internal.RedisConnector.Connected;
import dev.backoff4j.redis.internal.StoreResult.Unavailable;
import dev.backoff4j.redis.internal.StoreResult.Why;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The fleet's side of pacing: per {@link LimitScope} a requests bucket and a tokens bucket in Redis,
 * shared by every process that uses the same scope, plus a heartbeat set counting those processes.
 * The buckets are Bucket4j's (compare-and-swap over Lettuce); this class only decides what to ask of
 * them.
 *
 * <p>Every method is asynchronous and returns a future that completes with a {@link StoreResult}
 * within {@link FleetStoreSettings#operationTimeout()} — {@link StoreResult.Unavailable} when Redis
 * is down, slow, failing over or not yet connected — and never exceptionally for a Redis problem.
 * No thread waits for Redis. Futures may complete on a Lettuce I/O thread: callers continue
 * elsewhere before doing real work.
 *
 * <p>Reservations queue: {@link #reserve} charges the buckets at once (they may go negative) and
 * answers how long this reservation must wait behind all those made before it anywhere in the
 * fleet. The queue order is the order in which Redis accepted the compare-and-swaps.
 *
 * <p>Thread-safe. {@link #close()} releases the connection and its threads.
 */
public final class RedisFleetStore implements AutoCloseable {

  /**
   * Replacing limits keeps what was used: a raised limit adds the difference to what is left, a
   * lowered one caps it — as the server itself counts ("remaining = limit − used").
   */
  private static final TokensInheritanceStrategy ON_NEW_LIMITS = TokensInheritanceStrategy.ADDITIVE;

  private final FleetStoreSettings settings;
  private final RedisKeys keys;
  private final RedisConnector connector;
  private final StoreListener listener;
  private final Duration timeout;
  private final Map<LimitScope, ScopeLimits> fleetLimits = new ConcurrentHashMap<>();
  private final Map<LimitScope, Integer> liveInstances = new ConcurrentHashMap<>();
  private final Set<LimitScope> joined = ConcurrentHashMap.newKeySet();
  /** Starts true, so a Redis that is down from the start is reported by the first call. */
  private final AtomicBoolean available = new AtomicBoolean(true);
  private volatile boolean closed;

  private RedisFleetStore(FleetStoreSettings settings) {
    this.settings = settings;
    this.keys = new RedisKeys(settings.keyPrefix());
    this.listener = settings.listener();
    this.timeout = settings.operationTimeout();
    this.connector = new RedisConnector(settings);
  }

  /**
   * Starts connecting and returns at once; calls made before the connection is up are answered
   * {@link Why#NOT_CONNECTED}. A Redis that is down now is retried on demand, never blocking.
   */
  public static RedisFleetStore connect(FleetStoreSettings settings) {
    return new RedisFleetStore(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * Completes with {@code true} once connected, {@code false} if the connection attempt now running
   * (started if none is) fails. Never needed for correctness — calls made before are answered "not
   * connected" — but lets a program or a test wait for Redis at start-up.
   */
  public CompletableFuture<Boolean> connection() {
    return connector.connection();
  }

  /**
   * Reserves one request and {@code tokens} tokens for the fleet, in queue order.
   *
   * @param limits used only to create buckets that do not exist yet; existing buckets keep the
   *     fleet's limits (see {@link #fleetLimits}, {@link #replaceLimits})
   * @param tokens the estimated tokens, ≥ 0; not charged when the scope has no token limit
   */
  public CompletableFuture<StoreResult<FleetReservation>> reserve(LimitScope scope, ScopeLimits limits, long tokens) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(limits, "limits");
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must be >= 0, was " + tokens);
    }
    boolean chargeTokens = tokens > 0 && limits.tokens().isPresent();
    return run(
        connected -> {
          CompletableFuture<VerboseResult<Long>> requests =
              bucket(connected, scope, BucketKind.REQUESTS, limits.requests()).asVerbose().consumeIgnoringRateLimits(1);
          CompletableFuture<VerboseResult<Long>> charged = chargeTokens
              ? bucket(connected, scope, BucketKind.TOKENS, limits.tokens().get()).asVerbose().consumeIgnoringRateLimits(tokens)
              : CompletableFuture.completedFuture(null);
          return CompletableFuture.allOf(requests, charged).handle((ignored, failure) -> {
            if (failure != null) {
              // One bucket may have been charged: give it back, so a failed call costs the fleet nothing.
              giveBackCharged(connected, scope, limits, requests, charged, tokens);
              throw new CompletionException(Failures.unwrap(failure));
            }
            VerboseResult<Long> forRequests = requests.join();
            VerboseResult<Long> forTokens = charged.join();
            connected.buckets().sawExisting(keys.bucket(scope, BucketKind.REQUESTS));
            if (forTokens != null) {
              connected.buckets().sawExisting(keys.bucket(scope, BucketKind.TOKENS));
            }
            rememberFleetLimits(scope, forRequests, forTokens);
            // Bucket4j reports the clock reading each wait was computed from.
            long due = forRequests.getOperationTimeNanos() + forRequests.getValue();
            if (forTokens != null) {
              due = Math.max(due, forTokens.getOperationTimeNanos() + forTokens.getValue());
            }
            return new FleetReservation(
                forRequests.getValue(),
                forTokens == null ? 0 : forTokens.getValue(),
                chargeTokens ? tokens : 0,
                forRequests.getDiagnostics().getAvailableTokens(),
                forTokens == null ? 0 : forTokens.getDiagnostics().getAvailableTokens(),
                due);
          });
        },
        // Redis accepted it after the caller was told "timeout" and went local: undo it.
        (connected, late) -> release(connected, scope, limits, late));
  }

  /**
   * Corrects the tokens charged for a request once its {@code usage} is known: {@code delta > 0}
   * charges more (the estimate was low), {@code delta < 0} gives back (it was high; the bucket never
   * rises above its capacity). No-op when 0 or when the scope has no token limit.
   */
  public CompletableFuture<StoreResult<Void>> correctTokens(LimitScope scope, ScopeLimits limits, long delta) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(limits, "limits");
    if (delta == 0 || limits.tokens().isEmpty()) {
      return CompletableFuture.completedFuture(StoreResult.done(null));
    }
    BucketLimit tokenLimit = limits.tokens().get();
    return run(connected -> {
      AsyncBucketProxy bucket = bucket(connected, scope, BucketKind.TOKENS, tokenLimit);
      return delta > 0
          ? bucket.consumeIgnoringRateLimits(delta).thenApply(wait -> null)
          : bucket.addTokens(-delta);
    }, null);
  }

  /** Gives a reservation back whole (its request was never sent: cancelled, or past its deadline). */
  public CompletableFuture<StoreResult<Void>> cancel(LimitScope scope, ScopeLimits limits, FleetReservation reservation) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(reservation, "reservation");
    return run(connected -> release(connected, scope, limits, reservation), null);
  }

  /**
   * Empties one bucket for the whole fleet after a 429: whatever is left is taken, and if
   * {@code pause} is positive, enough more that the next one-unit reservation anywhere is due
   * {@code pause} from now, not sooner (reservations already queued count towards it; a larger
   * reservation waits for its own units on top).
   *
   * <p>Two steps, not one atomic update: a reservation slipping in between only lengthens the
   * pause by its own cost. No-op for {@link BucketKind#TOKENS} when tokens are not limited.
   */
  public CompletableFuture<StoreResult<Void>> drain(LimitScope scope, ScopeLimits limits, BucketKind kind, Duration pause) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(pause, "pause");
    Optional<BucketLimit> limit = limits.limit(kind);
    if (limit.isEmpty()) {
      return CompletableFuture.completedFuture(StoreResult.done(null));
    }
    return run(connected -> {
      AsyncBucketProxy bucket = bucket(connected, scope, kind, limit.get());
      return bucket.asVerbose().tryConsumeAsMuchAsPossible().thenCompose(emptied -> {
        long queued = Math.max(0, -emptied.getDiagnostics().getAvailableTokens());
        // The fleet's stored rate, not the caller's guess: the pause is in the fleet's time.
        // The next unit is due when the level climbs back to 1: leave it at 1 - (units per pause).
        long toPause = BucketConfigs.limitOf(emptied.getConfiguration()).unitsRefilledIn(pause) - 1 - queued;
        return toPause <= 0
            ? CompletableFuture.completedFuture(null)
            : bucket.consumeIgnoringRateLimits(toPause).<Void>thenApply(wait -> null);
      });
    }, null);
  }

  /**
   * Writes limits learned from response headers to Redis — only when they differ materially
   * ({@link ScopeLimits#differsMaterially}) from the fleet's as last seen by this process, or move a
   * rate by more than {@link ScopeLimits#RATE_CHANGE}, so the store is not written on every
   * response. Tokens already used are kept (see {@link
   * TokensInheritanceStrategy#ADDITIVE}).
   *
   * @return {@code true} when written, {@code false} when the change was too small to write
   */
  public CompletableFuture<StoreResult<Boolean>> replaceLimits(LimitScope scope, ScopeLimits learned) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(learned, "learned");
    ScopeLimits seen = fleetLimits.get(scope);
    if (seen != null && !seen.shouldBeReplacedBy(learned)) {
      return CompletableFuture.completedFuture(StoreResult.done(false));
    }
    return run(connected -> {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (BucketKind kind : BucketKind.values()) {
        learned.limit(kind).ifPresent(limit -> writes.add(
            bucket(connected, scope, kind, limit).replaceConfiguration(BucketConfigs.of(limit), ON_NEW_LIMITS)));
      }
      return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
        fleetLimits.put(scope, learned);
        return true;
      });
    }, null);
  }

  /** One bucket as Redis holds it now (created with {@code limits} if missing). */
  public CompletableFuture<StoreResult<BucketSnapshot>> snapshot(LimitScope scope, ScopeLimits limits, BucketKind kind) {
    Objects.requireNonNull(scope, "scope");
    BucketLimit limit = limits.limit(kind)
        .orElseThrow(() -> new IllegalArgumentException("scope has no " + kind + " limit"));
    return run(connected -> bucket(connected, scope, kind, limit).asVerbose().getAvailableTokens()
        .thenApply(result -> new BucketSnapshot(result.getValue(), BucketConfigs.limitOf(result.getConfiguration()))),
        null);
  }

  /**
   * Marks this instance live in {@code scope} and answers how many instances are, this one
   * included. Call it periodically (well within {@link FleetStoreSettings#instanceTtl()}); the last
   * answer stays available through {@link #lastKnownLiveInstances} for when Redis is down.
   */
  public CompletableFuture<StoreResult<Integer>> heartbeat(LimitScope scope) {
    Objects.requireNonNull(scope, "scope");
    joined.add(scope);
    return run(connected -> Heartbeats.beat(connected.commands(), keys.instances(scope), settings.instanceId(),
            settings.timeSource().now(), settings.instanceTtl())
        .thenApply(count -> {
          liveInstances.put(scope, count);
          return count;
        }), null);
  }

  /** The live-instance count of the last successful {@link #heartbeat}; empty before one. */
  public OptionalInt lastKnownLiveInstances(LimitScope scope) {
    Integer count = liveInstances.get(scope);
    return count == null ? OptionalInt.empty() : OptionalInt.of(count);
  }

  /** The fleet's limits for {@code scope} as the last reservation or write saw them. */
  public Optional<ScopeLimits> fleetLimits(LimitScope scope) {
    return Optional.ofNullable(fleetLimits.get(scope));
  }

  /** False from the first call that could not use Redis until the next one that could. */
  public boolean isAvailable() {
    return available.get();
  }

  public FleetStoreSettings settings() {
    return settings;
  }

  /**
   * Leaves the heartbeat sets this instance joined (best effort, within the operation timeout),
   * then closes the connection. Calls after close are answered {@link Why#ERROR}.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    Connected connected = connector.connectedNow();
    if (connected != null) {
      List<CompletableFuture<Long>> leaving = new ArrayList<>();
      for (LimitScope scope : joined) {
        leaving.add(Heartbeats.leave(connected.commands(), keys.instances(scope), settings.instanceId()));
      }
      try {
        CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new))
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception ignored) {
        // The TTL removes us from the sets anyway.
      }
    }
    closed = true;
    connector.close();
  }

  @Override
  public String toString() {
    return "RedisFleetStore[" + settings + (isAvailable() ? "" : ", unavailable") + "]";
  }

  // --- plumbing -------------------------------------------------------------------------------

  private AsyncBucketProxy bucket(Connected connected, LimitScope scope, BucketKind kind, BucketLimit limit) {
    return connected.buckets().get(keys.bucket(scope, kind), limit);
  }

  private CompletableFuture<Void> release(Connected connected, LimitScope scope, ScopeLimits limits, FleetReservation reservation) {
    CompletableFuture<Void> requests = bucket(connected, scope, BucketKind.REQUESTS, limits.requests()).addTokens(1);
    CompletableFuture<Void> tokens = reservation.tokens() > 0 && limits.tokens().isPresent()
        ? bucket(connected, scope, BucketKind.TOKENS, limits.tokens().get()).addTokens(reservation.tokens())
        : CompletableFuture.completedFuture(null);
    return CompletableFuture.allOf(requests, tokens);
  }

  private void giveBackCharged(Connected connected, LimitScope scope, ScopeLimits limits,
      CompletableFuture<VerboseResult<Long>> requests, CompletableFuture<VerboseResult<Long>> tokens, long tokenCount) {
    if (!requests.isCompletedExceptionally()) {
      bucket(connected, scope, BucketKind.REQUESTS, limits.requests()).addTokens(1);
    }
    if (!tokens.isCompletedExceptionally() && tokens.join() != null) {
      bucket(connected, scope, BucketKind.TOKENS, limits.tokens().get()).addTokens(tokenCount);
    }
  }

  private void rememberFleetLimits(LimitScope scope, VerboseResult<Long> requests, VerboseResult<Long> tokens) {
    BucketLimit requestLimit = BucketConfigs.limitOf(requests.getConfiguration());
    fleetLimits.compute(scope, (key, previous) -> {
      BucketLimit tokenLimit = tokens != null
          ? BucketConfigs.limitOf(tokens.getConfiguration())
          : previous == null ? null : previous.tokens().orElse(null);
      return tokenLimit == null ? ScopeLimits.requestsOnly(requestLimit) : ScopeLimits.of(requestLimit, tokenLimit);
    });
  }

  /**
   * Runs one store operation with the guarantees of this class: an answer within the timeout, a
   * typed outcome instead of an exception, the availability tracked. {@code onLate} receives a
   * value that arrived after the caller was already answered "timeout".
   */
  private <T> CompletableFuture<StoreResult<T>> run(
      Function<Connected, CompletableFuture<T>> operation, BiConsumer<Connected, T> onLate) {
    long start = System.nanoTime();
    if (closed) {
      return answered(new Unavailable<>(Why.ERROR, Duration.ZERO, "the store is closed", null));
    }
    Connected connected = connector.current();
    if (connected == null) {
      return answered(Failures.notConnected(elapsedSince(start), "no connection to Redis yet (" + connector.lastFailure() + ")"));
    }
    CompletableFuture<T> raw;
    try {
      raw = operation.apply(connected);
    } catch (RuntimeException e) {
      raw = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<StoreResult<T>> answer = new CompletableFuture<>();
    raw.whenComplete((value, failure) -> {
      StoreResult<T> result =
          failure == null ? StoreResult.done(value) : Failures.classify(failure, elapsedSince(start));
      if (!answer.complete(result) && failure == null && onLate != null) {
        onLate.accept(connected, value);
      }
    });
    answer.completeOnTimeout(
        new Unavailable<>(Why.TIMEOUT, timeout, "no answer from Redis within " + timeout.toMillis() + " ms", null),
        timeout.toNanos(), TimeUnit.NANOSECONDS);
    return answer.thenApply(this::track);
  }

  private <T> CompletableFuture<StoreResult<T>> answered(Unavailable<T> outcome) {
    return CompletableFuture.completedFuture(track(outcome));
  }

  private <T> StoreResult<T> track(StoreResult<T> result) {
    try {
      if (result instanceof Unavailable<T> outage) {
        if (available.compareAndSet(true, false)) {
          listener.onUnavailable(outage);
        }
      } else if (available.compareAndSet(false, true)) {
        listener.onAvailable();
      }
    } catch (RuntimeException e) {
      // A failing listener must not turn an answer into an exception for the caller.
    }
    return result;
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
