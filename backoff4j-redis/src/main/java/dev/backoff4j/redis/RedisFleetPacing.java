package dev.backoff4j.redis;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.spi.SharedPacingStore;
import dev.backoff4j.redis.internal.BucketKind;
import dev.backoff4j.redis.internal.BucketLimit;
import dev.backoff4j.redis.internal.FleetReservation;
import dev.backoff4j.redis.internal.FleetStoreSettings;
import dev.backoff4j.redis.internal.LimitScope;
import dev.backoff4j.redis.internal.RedisFleetStore;
import dev.backoff4j.redis.internal.RedisUrls;
import dev.backoff4j.redis.internal.ScopeLimits;
import dev.backoff4j.redis.internal.StoreResult;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fleet-shared pacing: one rate limit shared through Redis by every process that uses the same API
 * key, so that a fleet of pods or several batch jobs stays under the limit the server counts for all
 * of them together. Plug it into a pacer:
 *
 * <pre>{@code
 * RedisFleetPacing fleet = RedisFleetPacing.builder().redisUrl("redis://redis.internal:6379").build();
 * Pacer pacer = Pacer.builder().sharedStore(fleet).build();
 * OpenAiClient client = OpenAiClient.builder().pacer(pacer).build();
 * ...
 * fleet.close(); // at shutdown: leaves the fleet's live-instance count
 * }</pre>
 *
 * <p>Per limit scope (base URL, a digest of the organisation or key, model) it keeps Bucket4j's
 * requests and tokens buckets and a heartbeat set in Redis (see the module's README for the key
 * layout). A reservation costs about two round trips; every call answers within
 * {@link Builder#operationTimeout} — when Redis is down, slow or failing over, the pacer paces alone
 * on its share of the limit (divided by the instances last seen live) and rejoins by itself. Redis
 * never fails a request.
 *
 * <p>Starts connecting when built and returns at once ({@link #connected()} tells when it is up).
 * Thread-safe; share one per process. {@link #close()} it at shutdown.
 */
public final class RedisFleetPacing implements SharedPacingStore {

  /** Heartbeats 250 ms apart at first (four of them), then every instance TTL / 3. */
  private static final int EARLY_BEATS = 4;
  private static final long EARLY_BEAT_NANOS = 250_000_000L;

  private final RedisFleetStore store;
  private final String description;
  private final TimeSource time;
  private final long beatEveryNanos;
  private final ConcurrentHashMap<Scope, Shared> scopes = new ConcurrentHashMap<>();

  /** A scope as the engine names it, and when its heartbeat is due. */
  private static final class Shared {
    final LimitScope scope;
    volatile long nextBeatNanos = Long.MIN_VALUE;
    volatile int beats;

    Shared(LimitScope scope) {
      this.scope = scope;
    }
  }

  private RedisFleetPacing(Builder builder, FleetStoreSettings settings) {
    this.store = RedisFleetStore.connect(settings);
    this.time = builder.time;
    // Three beats per lifetime: one lost beat never drops a live instance.
    this.beatEveryNanos = Math.max(1, settings.instanceTtl().toNanos() / 3);
    this.description = "RedisFleetPacing[" + masked(builder.redisUrl) + ", keyPrefix=" + settings.keyPrefix()
        + ", operationTimeout=" + InvalidSettingException.show(settings.operationTimeout()) + "]";
  }

  /** Starts settings; {@link Builder#redisUrl} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Completes with {@code true} once connected to Redis, {@code false} when the attempt now running
   * fails (Redis keeps being retried in the background). Never needed for correctness: until then the
   * pacer paces alone. A program that would rather start shared can wait on it, bounded.
   */
  public CompletableFuture<Boolean> connected() {
    return store.connection();
  }

  /** Whether the last call reached Redis. */
  public boolean isAvailable() {
    return store.isAvailable();
  }

  @Override
  public CompletableFuture<Outcome> reserve(Scope scope, Limits limits, long tokens) {
    Shared shared = shared(scope);
    beatIfDue(shared);
    return store.reserve(shared.scope, limits(limits), Math.max(0, tokens)).thenApply(result -> {
      if (result instanceof StoreResult.Done<FleetReservation> done) {
        FleetReservation reservation = done.value();
        return new Reserved(reservation.waitNanos(), reservation.tokens(), reservation);
      }
      return new Unavailable(result.toString());
    });
  }

  @Override
  public void correctTokens(Scope scope, Limits limits, long delta) {
    store.correctTokens(shared(scope).scope, limits(limits), delta);
  }

  @Override
  public void cancel(Scope scope, Limits limits, Reserved reservation) {
    if (reservation.receipt() instanceof FleetReservation fleet) {
      store.cancel(shared(scope).scope, limits(limits), fleet);
    }
  }

  @Override
  public void drain(Scope scope, Limits limits, boolean requests, boolean tokens, Duration pause) {
    LimitScope limitScope = shared(scope).scope;
    ScopeLimits scopeLimits = limits(limits);
    if (requests) {
      store.drain(limitScope, scopeLimits, BucketKind.REQUESTS, pause);
    }
    if (tokens) {
      store.drain(limitScope, scopeLimits, BucketKind.TOKENS, pause);
    }
  }

  /** Written only when a limit moved by more than {@value ScopeLimits#MATERIAL_CHANGE} of itself. */
  @Override
  public void publishLimits(Scope scope, Limits learned) {
    store.replaceLimits(shared(scope).scope, limits(learned));
  }

  @Override
  public int liveInstances(Scope scope) {
    return Math.max(1, store.lastKnownLiveInstances(shared(scope).scope).orElse(1));
  }

  /** Leaves the live-instance sets this process joined (bounded by the operation timeout) and disconnects. */
  @Override
  public void close() {
    store.close();
  }

  /** The URL without its password, the key prefix, the operation timeout. */
  @Override
  public String toString() {
    return description;
  }

  /**
   * {@code url} with everything between the scheme and the last {@code @} (user and password)
   * replaced by {@code ***}, whatever the scheme: a mistyped URL may hold a password too.
   */
  public static String masked(String url) {
    int at = url.lastIndexOf('@');
    if (at < 0) {
      return RedisUrls.redact(url);
    }
    int scheme = url.indexOf("://");
    String prefix = scheme >= 0 && scheme < at ? url.substring(0, scheme + 3) : "";
    return prefix + "***" + url.substring(at);
  }

  private Shared shared(Scope scope) {
    Objects.requireNonNull(scope, "scope");
    return scopes.computeIfAbsent(scope,
        s -> new Shared(LimitScope.of(s.baseUrl(), s.accountDigest(), s.limitGroup())));
  }

  private void beatIfDue(Shared shared) {
    long now = time.nanoTime();
    long due = shared.nextBeatNanos;
    if (due != Long.MIN_VALUE && now - due < 0) {
      return;
    }
    // The first beats come quickly: members starting together each see only those that beat before
    // them, and an outage soon after the start should still divide the limit by all of them.
    shared.nextBeatNanos = now + (shared.beats++ < EARLY_BEATS ? Math.min(EARLY_BEAT_NANOS, beatEveryNanos) : beatEveryNanos);
    store.heartbeat(shared.scope);
  }

  private static ScopeLimits limits(Limits limits) {
    BucketLimit requests = bucket(limits.requests(), limits.requestPeriod());
    return limits.limitsTokens()
        ? ScopeLimits.of(requests, bucket(limits.tokens(), limits.tokenPeriod()))
        : ScopeLimits.requestsOnly(requests);
  }

  /**
   * A bucket Redis can hold: a refill period longer than {@link BucketLimit#MAX_REFILL_PERIOD} (a
   * huge limit learned with a small rate, like a test server's "unlimited") keeps the rate and holds
   * what that period refills, rather than being refused.
   */
  private static BucketLimit bucket(long capacity, Duration period) {
    Duration positive = period.isZero() || period.isNegative() ? Duration.ofNanos(1) : period;
    if (positive.compareTo(BucketLimit.MAX_REFILL_PERIOD) <= 0) {
      return BucketLimit.of(capacity, positive);
    }
    double perNano = capacity / (positive.getSeconds() * 1e9 + positive.getNano());
    long held = (long) Math.max(1, Math.floor(perNano * BucketLimit.MAX_REFILL_PERIOD.toNanos()));
    return BucketLimit.of(held, BucketLimit.MAX_REFILL_PERIOD);
  }

  /**
   * Settings; each setter checks its value and names itself when it refuses one. Defaults: key
   * prefix {@code backoff4j}, 250 ms per Redis operation, 1 s to connect, reconnect attempts at most
   * 1 s apart, an instance counted live for 15 s after its last heartbeat (sent every 5 s while it
   * reserves), the system clock.
   */
  public static final class Builder {
    private static final String COMPONENT = "redis fleet pacing";

    private String redisUrl;
    private String keyPrefix = "backoff4j";
    private Duration operationTimeout = Duration.ofMillis(250);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration reconnectDelayMax = Duration.ofSeconds(1);
    private Duration instanceTtl = Duration.ofSeconds(15);
    private String instanceId;
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /**
     * {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://} for TLS. The
     * password never appears in a message or {@code toString()}.
     */
    public Builder redisUrl(String redisUrl) {
      InvalidSettingException.check(redisUrl != null, COMPONENT, "redisUrl", "must be set", null);
      try {
        FleetStoreSettings.builder(redisUrl);
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(COMPONENT, "redisUrl",
            "must be redis://host[:port] or rediss://host[:port], was '" + masked(redisUrl) + "'");
      }
      this.redisUrl = redisUrl;
      return this;
    }

    /**
     * Prefix of every key ({@code <prefix>:{<scope id>}:requests}); non-empty, no braces (they would
     * move the Redis Cluster hash tag), no spaces. Fleets that must not share limits use different
     * prefixes.
     */
    public Builder keyPrefix(String keyPrefix) {
      InvalidSettingException.check(keyPrefix != null && !keyPrefix.isEmpty() && !keyPrefix.contains("{")
              && !keyPrefix.contains("}") && keyPrefix.chars().noneMatch(Character::isWhitespace), COMPONENT,
          "keyPrefix", "must be non-empty, without '{', '}' or spaces", keyPrefix == null ? null : "'" + keyPrefix + "'");
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * The most one Redis call may take before the pacer paces alone for that request; 1 ms to 1 min.
     * A request waits at most this much longer than without Redis while Redis hangs.
     */
    public Builder operationTimeout(Duration operationTimeout) {
      this.operationTimeout = range("operationTimeout", operationTimeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /** The most a connection attempt (with its handshake) may take; 1 ms to 1 min. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = range("connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /** The longest pause between reconnect attempts while Redis is away; 10 ms to 5 min. */
    public Builder reconnectDelayMax(Duration reconnectDelayMax) {
      this.reconnectDelayMax =
          range("reconnectDelayMax", reconnectDelayMax, Duration.ofMillis(10), Duration.ofMinutes(5));
      return this;
    }

    /**
     * How long an instance counts as live after its last heartbeat; 1 ms to 1 h. While Redis is down
     * the limit is divided by the instances counted live before.
     */
    public Builder instanceTtl(Duration instanceTtl) {
      this.instanceTtl = range("instanceTtl", instanceTtl, Duration.ofMillis(1), Duration.ofHours(1));
      return this;
    }

    /** This process's name in the live-instance set; default {@code pid@host/random}. Not blank. */
    public Builder instanceId(String instanceId) {
      InvalidSettingException.check(instanceId != null && !instanceId.isBlank(), COMPONENT, "instanceId",
          "must not be blank", instanceId == null ? null : "'" + instanceId + "'");
      this.instanceId = instanceId;
      return this;
    }

    /**
     * The clock: its wall clock refills the shared buckets (Bucket4j computes on the client, so a
     * fleet's clocks must agree, NTP), its nano clock paces heartbeats.
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "timeSource");
      return this;
    }

    /**
     * Starts connecting and returns at once.
     *
     * @throws InvalidSettingException naming {@code redisUrl} when it was not set
     */
    public RedisFleetPacing build() {
      InvalidSettingException.check(redisUrl != null, COMPONENT, "redisUrl", "must be set", null);
      FleetStoreSettings.Builder settings = FleetStoreSettings.builder(redisUrl)
          .keyPrefix(keyPrefix)
          .operationTimeout(operationTimeout)
          .connectTimeout(connectTimeout)
          .reconnectDelayMax(reconnectDelayMax)
          .instanceTtl(instanceTtl)
          .timeSource(time);
      if (instanceId != null) {
        settings.instanceId(instanceId);
      }
      return new RedisFleetPacing(this, settings.build());
    }

    private static Duration range(String setting, Duration value, Duration min, Duration max) {
      InvalidSettingException.check(value != null && value.compareTo(min) >= 0 && value.compareTo(max) <= 0, COMPONENT,
          setting, "must be between " + InvalidSettingException.show(min) + " and " + InvalidSettingException.show(max),
          value);
      return value;
    }
  }
}
