package dev.backoff4j.redis.internal;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Owns the Lettuce client and its one connection, configured so that no call ever waits for Redis
 * longer than the operation timeout:
 *
 * <ul>
 *   <li>commands are rejected at once while disconnected ({@code REJECT_COMMANDS}) instead of being
 *       queued until Redis returns (Lettuce's default, which would hang callers through an outage);
 *   <li>every command has the operation timeout; connecting has the connect timeout;
 *   <li>after a drop Lettuce reconnects by itself, backing off to at most {@code reconnectDelayMax}.
 * </ul>
 *
 * <p>Lettuce only reconnects a connection it once had. Until the first connection succeeds — Redis
 * down at start-up — this class retries on demand: a call that finds no connection starts an attempt
 * unless one is running or the back-off has not elapsed, and is answered "not connected" at once.
 * The back-off runs on {@link System#nanoTime()}: it is about the network, not about the buckets,
 * so a virtual clock in tests must not freeze it.
 */
final class RedisConnector implements AutoCloseable {

  /**
   * Keep a bucket's key this long after it would be full again; then it is dropped. Long enough
   * that only idle scopes expire (a dropped bucket that this process had seen comes back empty).
   */
  private static final Duration KEEP_AFTER_FULL = Duration.ofMinutes(5);
  private static final Duration FIRST_RETRY = Duration.ofMillis(20);

  /** What calls use while connected: the raw commands and Bucket4j's proxies over them. */
  record Connected(RedisAsyncCommands<byte[], byte[]> commands, BucketProxies buckets) {}

  private final FleetStoreSettings settings;
  private final ClientResources resources;
  private final RedisClient client;
  private final TimeMeter clock;

  private volatile Connected connected;
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  /** The running attempt; completes with its success only after its connection is installed. */
  private CompletableFuture<Boolean> attempt;
  private long nextAttemptNanos;
  private int failedAttempts;
  private volatile String lastFailure = "connecting";
  private boolean closed;

  RedisConnector(FleetStoreSettings settings) {
    this.settings = settings;
    Duration reconnectMax = settings.reconnectDelayMax();
    this.resources = DefaultClientResources.builder()
        // Lettuce's minimum (it raises 1 to 2, logging that it did): plenty for one connection,
        // where the defaults (one per core each) multiply with every store in a JVM.
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(FIRST_RETRY, reconnectMax, 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(settings.operationTimeout()))
        .build());
    this.clock = new WallClockMeter(settings.timeSource());
    connectNow();
  }

  /**
   * The connection if there is one (Lettuce may be reconnecting it: then its commands are rejected
   * at once, which callers see as "not connected"); {@code null} before the first connection
   * succeeded, in which case a new attempt may have been started.
   */
  Connected current() {
    Connected now = connected;
    if (now == null) {
      maybeReconnect();
    }
    return now;
  }

  /** Why there is no connection yet, for "not connected" outcomes: the last attempt's failure. */
  String lastFailure() {
    return lastFailure;
  }

  /** The connection if there is one, without starting an attempt. */
  Connected connectedNow() {
    return connected;
  }

  boolean isConnectedNow() {
    StatefulRedisConnection<byte[], byte[]> c = connection;
    return c != null && c.isOpen();
  }

  /**
   * Completes with {@code true} once connected, {@code false} if the attempt now running fails;
   * starts an attempt at once (ignoring the back-off) when none is running.
   */
  synchronized CompletableFuture<Boolean> connection() {
    if (connected != null) {
      return CompletableFuture.completedFuture(true);
    }
    if (attempt == null && !closed) {
      connectNow();
    }
    CompletableFuture<Boolean> running = attempt;
    return running != null ? running : CompletableFuture.completedFuture(connected != null);
  }

  private synchronized void maybeReconnect() {
    if (closed || connected != null || attempt != null || System.nanoTime() < nextAttemptNanos) {
      return;
    }
    connectNow();
  }

  private synchronized void connectNow() {
    CompletableFuture<Boolean> started = client.connectAsync(ByteArrayCodec.INSTANCE, settings.redisUri())
        .toCompletableFuture()
        .handle((made, failure) -> onAttemptDone(made, failure));
    // Completed on this thread already (an immediate failure): onAttemptDone has run; keep it clear.
    if (!started.isDone()) {
      attempt = started;
    }
  }

  private synchronized boolean onAttemptDone(StatefulRedisConnection<byte[], byte[]> made, Throwable failure) {
    attempt = null;
    if (failure != null) {
      failedAttempts++;
      lastFailure = Failures.describe(Failures.unwrap(failure));
      long backoff = Math.min(
          settings.reconnectDelayMax().toNanos(), FIRST_RETRY.toNanos() << Math.min(failedAttempts - 1, 20));
      nextAttemptNanos = System.nanoTime() + backoff;
      return false;
    }
    if (closed) {
      made.closeAsync();
      return false;
    }
    failedAttempts = 0;
    RedisAsyncCommands<byte[], byte[]> commands = made.async();
    AsyncProxyManager<byte[]> buckets = Bucket4jLettuce.casBasedBuilder(commands)
        .clientClock(clock)
        // Bounds the compare-and-swap loop as a whole, retries included.
        .requestTimeout(settings.operationTimeout())
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
        .build()
        .asAsync();
    connection = made;
    connected = new Connected(commands, new BucketProxies(buckets));
    return true;
  }

  @Override
  public void close() {
    StatefulRedisConnection<byte[], byte[]> open;
    synchronized (this) {
      closed = true;
      open = connection;
      connected = null;
      connection = null;
    }
    try {
      if (open != null) {
        open.closeAsync().get(settings.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      }
    } catch (Exception ignored) {
      // Closing a broken connection may fail; the client shutdown below releases it anyway.
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisConnector[" + RedisUrls.redact(settings.url()) + (isConnectedNow() ? ", connected" : "") + "]";
  }
}
