package dev.backoff4j.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.redis.RedisServerExtension;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Stores for one test: each its own Lettuce client (as separate processes would have), all on one
 * key namespace of their own, closed together.
 */
final class Stores implements AutoCloseable {

  /** Generous: the build machine is shared, and correctness tests are not about timeouts. */
  static final Duration RELAXED_TIMEOUT = Duration.ofSeconds(3);

  private final RedisServerExtension redis;
  private final String namespace = RedisServerExtension.freshNamespace();
  private final List<RedisFleetStore> open = new ArrayList<>();

  Stores(RedisServerExtension redis) {
    this.redis = redis;
  }

  /** A connected store on the test clock. */
  RedisFleetStore connected(TimeSource time) {
    return connected(builder -> builder.timeSource(time));
  }

  RedisFleetStore connected(UnaryOperator<FleetStoreSettings.Builder> settings) {
    RedisFleetStore store = unconnected(settings);
    // The first Lettuce connection of a JVM may time out while classes load; try again, bounded.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!join(store.connection())) {
      assertThat(System.nanoTime()).as("connected to %s within 10 s", redis.url()).isLessThan(deadline);
    }
    return store;
  }

  /** A store that may not have connected yet (Redis down, say). */
  RedisFleetStore unconnected(UnaryOperator<FleetStoreSettings.Builder> settings) {
    FleetStoreSettings.Builder builder = FleetStoreSettings.builder(redis.url())
        .keyPrefix(namespace)
        .operationTimeout(RELAXED_TIMEOUT)
        .connectTimeout(Duration.ofSeconds(2))
        .reconnectDelayMax(Duration.ofMillis(100));
    RedisFleetStore store = RedisFleetStore.connect(settings.apply(builder).build());
    open.add(store);
    return store;
  }

  String namespace() {
    return namespace;
  }

  /** The value of a store call that must succeed. */
  static <T> T done(CompletableFuture<StoreResult<T>> call) {
    StoreResult<T> result = join(call);
    assertThat(result.isDone()).as("store call result %s", result).isTrue();
    return result.value();
  }

  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store call did not complete normally within 10 s", e);
    }
  }

  @Override
  public void close() {
    for (RedisFleetStore store : open) {
      store.close();
    }
  }
}
