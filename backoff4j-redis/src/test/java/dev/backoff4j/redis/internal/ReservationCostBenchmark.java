package dev.backoff4j.redis.internal;

import static dev.backoff4j.redis.internal.Stores.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one reservation costs on loopback: latency percentiles and the Redis commands it takes
 * (from the server's own {@code INFO commandstats}). Not part of the build; run it with
 *
 * <pre>
 * mvn -B -q -o -pl backoff4j-redis -am verify -Dtest=ReservationCostBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbackoff4j.bench=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "backoff4j.bench", matches = "true")
class ReservationCostBenchmark {

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private static final int WARM_UP = 2_000;
  private static final int MEASURED = 10_000;
  /** Large enough that no reservation waits: the cost measured is Redis's, not the limit's. */
  private static final ScopeLimits LIMITS =
      ScopeLimits.of(BucketLimit.of(100_000_000, Duration.ofSeconds(1)), BucketLimit.of(1_000_000_000, Duration.ofSeconds(1)));

  private final Stores stores = new Stores(redis);

  @AfterEach
  void closeStores() {
    stores.close();
  }

  @Test
  void measure() throws Exception {
    RedisClient admin = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> adminConnection = admin.connect()) {
      RedisAsyncCommands<String, String> adminCommands = adminConnection.async();
      System.out.println("== loopback, " + redis.url() + ", " + Runtime.getRuntime().availableProcessors()
          + " cores, load " + loadAverage());

      pingBaseline(adminCommands);

      RedisFleetStore store = stores.connected(b -> b.operationTimeout(Duration.ofSeconds(5)));
      sequential("sequential, requests + tokens", adminCommands, store, LIMITS, 100);
      sequential("sequential, requests only", adminCommands, store,
          ScopeLimits.requestsOnly(LIMITS.requests()), 100);

      List<RedisFleetStore> fleet = List.of(stores.connected(b -> b.operationTimeout(Duration.ofSeconds(5))),
          stores.connected(b -> b.operationTimeout(Duration.ofSeconds(5))),
          stores.connected(b -> b.operationTimeout(Duration.ofSeconds(5))));
      concurrent("3 stores x 1 in flight, one scope", adminCommands, fleet, 1);
      concurrent("3 stores x 8 in flight, one scope", adminCommands, fleet, 8);
      concurrent("3 stores x 32 in flight, one scope", adminCommands, fleet, 32);
    } finally {
      admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static void pingBaseline(RedisAsyncCommands<String, String> commands) throws Exception {
    for (int i = 0; i < WARM_UP; i++) {
      commands.ping().get(5, TimeUnit.SECONDS);
    }
    long[] latencies = new long[MEASURED];
    for (int i = 0; i < MEASURED; i++) {
      long start = System.nanoTime();
      commands.ping().get(5, TimeUnit.SECONDS);
      latencies[i] = System.nanoTime() - start;
    }
    System.out.println(row("PING (one round trip), sequential", latencies, null, MEASURED));
  }

  private static void sequential(String name, RedisAsyncCommands<String, String> admin, RedisFleetStore store,
      ScopeLimits limits, long tokens) throws Exception {
    LimitScope scope = LimitScope.of("https://bench.test/v1", "bench-" + name, "model");
    for (int i = 0; i < WARM_UP; i++) {
      done(store.reserve(scope, limits, tokens));
    }
    Map<String, Long> before = commandCalls(admin);
    long[] latencies = new long[MEASURED];
    long wallStart = System.nanoTime();
    for (int i = 0; i < MEASURED; i++) {
      long start = System.nanoTime();
      StoreResult<FleetReservation> result = store.reserve(scope, limits, tokens).get(5, TimeUnit.SECONDS);
      latencies[i] = System.nanoTime() - start;
      assertThat(result.isDone()).isTrue();
    }
    long wall = System.nanoTime() - wallStart;
    Map<String, Long> delta = minus(commandCalls(admin), before);
    System.out.println(row(name, latencies, delta, MEASURED) + String.format(Locale.ROOT, ", %.0f/s", MEASURED * 1e9 / wall));
  }

  private static void concurrent(String name, RedisAsyncCommands<String, String> admin, List<RedisFleetStore> fleet,
      int inFlightPerStore) throws Exception {
    LimitScope scope = LimitScope.of("https://bench.test/v1", "bench-" + name, "model");
    run(fleet, scope, WARM_UP, inFlightPerStore, null);
    Map<String, Long> before = commandCalls(admin);
    long[] latencies = new long[MEASURED];
    long wallStart = System.nanoTime();
    run(fleet, scope, MEASURED, inFlightPerStore, latencies);
    long wall = System.nanoTime() - wallStart;
    Map<String, Long> delta = minus(commandCalls(admin), before);
    System.out.println(row(name, latencies, delta, MEASURED) + String.format(Locale.ROOT, ", %.0f/s", MEASURED * 1e9 / wall));
  }

  private static void run(List<RedisFleetStore> fleet, LimitScope scope, int count, int inFlightPerStore,
      long[] latencies) throws Exception {
    Semaphore[] permits = new Semaphore[fleet.size()];
    Arrays.setAll(permits, i -> new Semaphore(inFlightPerStore));
    List<CompletableFuture<?>> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int storeIndex = i % fleet.size();
      permits[storeIndex].acquire();
      int slot = i;
      long start = System.nanoTime();
      calls.add(fleet.get(storeIndex).reserve(scope, LIMITS, 100).whenComplete((result, failure) -> {
        if (latencies != null) {
          latencies[slot] = System.nanoTime() - start;
        }
        permits[storeIndex].release();
        if (failure != null || !result.isDone()) {
          System.out.println("  failed: " + (failure != null ? failure : result));
        }
      }));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
  }

  private static String row(String name, long[] latencies, Map<String, Long> commands, int count) {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    String perCall = commands == null ? "" : String.format(Locale.ROOT, ", Redis commands per reservation: %s",
        perReservation(commands, count));
    return String.format(Locale.ROOT, "%-40s n=%d p50=%.0f us p90=%.0f us p99=%.0f us max=%.0f us%s",
        name, count, micros(sorted, 0.50), micros(sorted, 0.90), micros(sorted, 0.99), sorted[sorted.length - 1] / 1e3,
        perCall);
  }

  private static String perReservation(Map<String, Long> commands, int count) {
    StringBuilder text = new StringBuilder();
    commands.entrySet().stream()
        .filter(entry -> entry.getValue() > 0 && !entry.getKey().equals("info"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(entry -> text.append(String.format(Locale.ROOT, "%s %.3f ", entry.getKey(), entry.getValue() / (double) count)));
    return text.toString().trim();
  }

  private static double micros(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e3;
  }

  private static final Pattern STAT = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

  private static Map<String, Long> commandCalls(RedisAsyncCommands<String, String> admin) throws Exception {
    Map<String, Long> calls = new HashMap<>();
    Matcher matcher = STAT.matcher(admin.info("commandstats").get(5, TimeUnit.SECONDS));
    while (matcher.find()) {
      calls.put(matcher.group(1), Long.parseLong(matcher.group(2)));
    }
    return calls;
  }

  private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> delta = new HashMap<>();
    after.forEach((command, calls) -> delta.put(command, calls - before.getOrDefault(command, 0L)));
    return delta;
  }

  private static String loadAverage() {
    return String.format(Locale.ROOT, "%.1f",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
