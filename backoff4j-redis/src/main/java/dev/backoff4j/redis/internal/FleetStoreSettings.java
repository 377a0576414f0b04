package dev.backoff4j.redis.internal;

import dev.backoff4j.time.TimeSource;
import io.lettuce.core.RedisURI;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a {@link RedisFleetStore} reaches Redis and how quickly it gives up. Immutable; made by
 * {@link #builder(String)}, which checks each value in its setter and names the setter.
 *
 * <p>Defaults: key prefix {@code backoff4j}, 250 ms per operation (a reservation, a correction, a
 * heartbeat — everything included), 1 s to connect, reconnect attempts backing off to at most every
 * 1 s, an instance counted live for 15 s after its last heartbeat, the system clock.
 */
public final class FleetStoreSettings {

  private final String url;
  private final String keyPrefix;
  private final Duration operationTimeout;
  private final Duration connectTimeout;
  private final Duration reconnectDelayMax;
  private final Duration instanceTtl;
  private final String instanceId;
  private final TimeSource time;
  private final StoreListener listener;

  private FleetStoreSettings(Builder builder) {
    this.url = builder.url;
    this.keyPrefix = builder.keyPrefix;
    this.operationTimeout = builder.operationTimeout;
    this.connectTimeout = builder.connectTimeout;
    this.reconnectDelayMax = builder.reconnectDelayMax;
    this.instanceTtl = builder.instanceTtl;
    this.instanceId = builder.instanceId != null ? builder.instanceId : defaultInstanceId();
    this.time = builder.time;
    this.listener = builder.listener;
  }

  private static String defaultInstanceId() {
    // The pid helps a person reading the sorted set; the random part keeps restarted pids apart.
    String runtime = ManagementFactory.getRuntimeMXBean().getName();
    return runtime + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * @param url {@code redis://[[user]:password@]host[:port][/database]} or {@code rediss://...}
   * @throws IllegalArgumentException when the URL is not a Redis URL (the message hides any
   *     password)
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  String url() {
    return url;
  }

  /**
   * The URI's timeout bounds the connection handshake (HELLO, AUTH, SELECT), so it is the connect
   * timeout; commands get the operation timeout through Lettuce's {@code TimeoutOptions}. A
   * handshake bound by the short operation timeout fails while a JVM is still loading Lettuce.
   */
  RedisURI redisUri() {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(connectTimeout);
    return uri;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public Duration operationTimeout() {
    return operationTimeout;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration reconnectDelayMax() {
    return reconnectDelayMax;
  }

  public Duration instanceTtl() {
    return instanceTtl;
  }

  public String instanceId() {
    return instanceId;
  }

  public TimeSource timeSource() {
    return time;
  }

  StoreListener listener() {
    return listener;
  }

  @Override
  public String toString() {
    return "FleetStoreSettings[" + RedisUrls.redact(url) + ", prefix=" + keyPrefix + ", operationTimeout="
        + operationTimeout + ", instance=" + instanceId + "]";
  }

  /** Settings under construction. */
  public static final class Builder {
    private final String url;
    private String keyPrefix = "backoff4j";
    private Duration operationTimeout = Duration.ofMillis(250);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration reconnectDelayMax = Duration.ofSeconds(1);
    private Duration instanceTtl = Duration.ofSeconds(15);
    private String instanceId;
    private TimeSource time = TimeSource.system();
    private StoreListener listener = StoreListener.NONE;

    private Builder(String url) {
      Objects.requireNonNull(url, "url");
      if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
        throw new IllegalArgumentException(
            "Redis URL must start with redis:// or rediss://, was '" + RedisUrls.redact(url) + "'");
      }
      try {
        RedisURI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Redis URL '" + RedisUrls.redact(url) + "' is not valid", null);
      }
      this.url = url;
    }

    /** Prefix of every key; no braces (they would move the Cluster hash tag). */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (keyPrefix.isEmpty() || keyPrefix.contains("{") || keyPrefix.contains("}") || keyPrefix.contains(" ")) {
        throw new IllegalArgumentException(
            "keyPrefix must be non-empty, without '{', '}' or spaces, was '" + keyPrefix + "'");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * The most any store call may take, from call to typed outcome, Lettuce's command timeout and
     * Bucket4j's compare-and-swap retries included; 1 ms to 1 min.
     */
    public Builder operationTimeout(Duration operationTimeout) {
      this.operationTimeout = checkRange("operationTimeout", operationTimeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /** The most a connection attempt may take; 1 ms to 1 min. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = checkRange("connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /** The longest pause between reconnect attempts while Redis is away; 10 ms to 5 min. */
    public Builder reconnectDelayMax(Duration reconnectDelayMax) {
      this.reconnectDelayMax =
          checkRange("reconnectDelayMax", reconnectDelayMax, Duration.ofMillis(10), Duration.ofMinutes(5));
      return this;
    }

    /** How long after its last heartbeat an instance still counts as live; 1 ms to 1 h. */
    public Builder instanceTtl(Duration instanceTtl) {
      this.instanceTtl = checkRange("instanceTtl", instanceTtl, Duration.ofMillis(1), Duration.ofHours(1));
      return this;
    }

    /** This process's id in the heartbeat set; default {@code pid@host/random}. */
    public Builder instanceId(String instanceId) {
      Objects.requireNonNull(instanceId, "instanceId");
      if (instanceId.isBlank()) {
        throw new IllegalArgumentException("instanceId must not be blank");
      }
      this.instanceId = instanceId;
      return this;
    }

    /**
     * The wall clock the buckets refill by ({@link TimeSource#now()}); Bucket4j computes refills on
     * the client, so the fleet's clocks must agree (NTP) to within a small share of a refill period.
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "timeSource");
      return this;
    }

    /** Told when Redis becomes unavailable and available again. */
    public Builder listener(StoreListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public FleetStoreSettings build() {
      return new FleetStoreSettings(this);
    }

    private static Duration checkRange(String setter, Duration value, Duration min, Duration max) {
      Objects.requireNonNull(value, setter);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(setter + " must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    }
  }
}
