package dev.backoff4j.bench.scenarios;

import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.spi.SharedPacingStore;
import dev.backoff4j.redis.RedisFleetPacing;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How the benchmark builds a {@link Pacer} whose limit is shared through Redis (issue 14): S5's
 * process variant calls {@link #pacer} in each member process (see {@link ClientProcessMain}, flag
 * {@code --redis}); nothing else in the harness knows how the fleet store is configured. The pacer
 * is {@code backoff4j-paced}'s (unseeded) with {@code backoff4j-redis}'s {@link RedisFleetPacing} as
 * its shared store, at its defaults.
 */
final class SharedPacing {

  /** How the shared pacer is configured, for the contender's description. */
  static final String DESCRIPTION =
      "RedisFleetPacing at its defaults: 250 ms per Redis operation, instances live for 15 s after a heartbeat";

  /** A child JVM's first Lettuce connection is slow while classes load; it is made before "ready". */
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);

  private SharedPacing() {}

  /** Why a Redis-shared pacer cannot be built here; empty: it can. */
  static Optional<String> unavailable() {
    return Optional.empty();
  }

  /**
   * A few reservations on a scope of their own before the measured run: the first one in a JVM loads
   * Bucket4j's scripts and classes and can outlast the 250 ms operation timeout on a loaded machine,
   * which would send the first measured requests alone. The scratch buckets expire unused.
   */
  private static void warmUp(RedisFleetPacing fleet) {
    SharedPacingStore.Scope scratch = SharedPacingStore.Scope.of("warm-up", "warm-up", "warm-up");
    SharedPacingStore.Limits roomy = new SharedPacingStore.Limits(1_000_000, Duration.ofSeconds(1), 1_000_000,
        Duration.ofSeconds(1));
    for (int i = 0; i < 50; i++) {
      try {
        fleet.reserve(scratch, roomy, 1).get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        return; // not connected: nothing to warm
      }
    }
  }

  /**
   * An unseeded pacer that shares its limit with every other pacer on {@code redisUrl} for the same
   * base URL and key. Waits (bounded) for the connection, so the measured run does not start with a
   * process pacing alone because Lettuce was still loading. The store lives as long as the process.
   */
  static Pacer pacer(String redisUrl) {
    RedisFleetPacing fleet = RedisFleetPacing.builder().redisUrl(redisUrl).connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
    try {
      while (!fleet.connected().get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.err.println("SharedPacing: no connection to " + fleet + " yet (" + e + "); pacing alone until there is");
    }
    warmUp(fleet);
    return Pacer.builder().sharedStore(fleet).build();
  }
}
