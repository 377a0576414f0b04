package dev.backoff4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.headers.RateLimits;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.TokenEstimate;
import dev.backoff4j.openai.pacing.internal.DefaultPacer;
import dev.backoff4j.openai.pacing.internal.Reservation;
import dev.backoff4j.openai.spi.SharedPacingStore;
import dev.backoff4j.redis.internal.BucketKind;
import dev.backoff4j.redis.internal.BucketLimit;
import dev.backoff4j.redis.internal.BucketSnapshot;
import dev.backoff4j.redis.internal.FleetStoreSettings;
import dev.backoff4j.redis.internal.LimitScope;
import dev.backoff4j.redis.internal.RedisFleetStore;
import dev.backoff4j.redis.internal.ScopeLimits;
import dev.backoff4j.testkit.VirtualTime;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisFleetPacing} under a pacer, against a real redis-server, on virtual time (the shared
 * buckets refill by the members' wall clock: a virtual one that stands still makes every count exact).
 */
class RedisFleetPacingTest {

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private static final String BASE_URL = "https://api.example.test/v1";
  private static final SharedPacingStore.Scope ACCOUNT = SharedPacingStore.Scope.of(BASE_URL, "key:" + Fleet.KEY, "");

  private final VirtualTime time = new VirtualTime();
  private final String namespace = RedisServerExtension.freshNamespace();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  private RedisFleetPacing fleet() {
    RedisFleetPacing fleet = RedisFleetPacing.builder().redisUrl(redis.url()).keyPrefix(namespace)
        .operationTimeout(Duration.ofSeconds(3)).connectTimeout(Duration.ofSeconds(5)).timeSource(time).build();
    open.add(fleet);
    Fleet.awaitConnected(fleet);
    return fleet;
  }

  /** The engine on the same keys, to read what Redis holds. */
  private RedisFleetStore reader() throws Exception {
    RedisFleetStore store = RedisFleetStore.connect(FleetStoreSettings.builder(redis.url()).keyPrefix(namespace)
        .operationTimeout(Duration.ofSeconds(3)).connectTimeout(Duration.ofSeconds(5)).timeSource(time).build());
    open.add(store);
    assertThat(store.connection().get(20, TimeUnit.SECONDS)).isTrue();
    return store;
  }

  private DefaultPacer pacer(RedisFleetPacing fleet, double requestsPerMinute, double tokensPerMinute) {
    return (DefaultPacer) Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO)
        .requestsPerMinute(requestsPerMinute).tokensPerMinute(tokensPerMinute).sharedStore(fleet).build();
  }

  private static LimitScope scope(String model) {
    return LimitScope.of(BASE_URL, ACCOUNT.accountDigest(), model);
  }

  private static <T> T eventually(Supplier<T> read, java.util.function.Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    T value = read.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      value = read.get();
    }
    return value;
  }

  @Test
  void twoPacersOnOneRedisQueueBehindEachOther() {
    RedisFleetPacing first = fleet();
    RedisFleetPacing second = fleet();
    DefaultPacer one = pacer(first, 60, 1_000_000);
    DefaultPacer two = pacer(second, 60, 1_000_000);
    // 60 a minute: the fleet's first 60 go at once, wherever they come from; then one every
    // 1 / 0.98 s (the fleet refills at 98 % of the learned rate).
    for (int i = 0; i < 30; i++) {
      assertThat(one.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join().waitTime()).isZero();
      assertThat(two.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join().waitTime()).isZero();
    }
    Reservation next = one.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join();
    Reservation after = two.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join();
    assertThat(next.sharedWithFleet()).isTrue();
    // Bucket4j rounds its waits to whole nanoseconds of refill.
    assertThat((double) next.waitTime().toNanos()).isCloseTo(1e9 / 0.98, org.assertj.core.data.Offset.offset(1e6));
    assertThat((double) after.waitTime().toNanos()).isCloseTo(2e9 / 0.98, org.assertj.core.data.Offset.offset(1e6));
  }

  @Test
  void usageGivesBackWhatTheEstimateOverchargedTheFleet() throws Exception {
    RedisFleetPacing fleet = fleet();
    RedisFleetStore reader = reader();
    DefaultPacer pacer = pacer(fleet, 600, 10_000);
    Reservation reservation = pacer.reserve(new TokenEstimate("m", 100, 900, 1), ACCOUNT).join();
    ScopeLimits limits = ScopeLimits.of(BucketLimit.perMinute(600), BucketLimit.perMinute(10_000));
    assertThat(reader.snapshot(scope("m"), limits, BucketKind.TOKENS).join().value().available()).isEqualTo(9_000);

    pacer.onResponse(reservation, RateLimits.none(), new DefaultPacer.Usage(100, 50, 150));

    BucketSnapshot after = eventually(() -> reader.snapshot(scope("m"), limits, BucketKind.TOKENS).join().value(),
        snapshot -> snapshot.available() == 9_850);
    assertThat(after.available()).as("10,000 - 150 used").isEqualTo(9_850);
  }

  @Test
  void usageAboveTheEstimateChargesTheFleetTheDifference() throws Exception {
    RedisFleetPacing fleet = fleet();
    RedisFleetStore reader = reader();
    DefaultPacer pacer = pacer(fleet, 600, 10_000);
    Reservation reservation = pacer.reserve(new TokenEstimate("m", 100, 100, 1), ACCOUNT).join();
    pacer.onResponse(reservation, RateLimits.none(), new DefaultPacer.Usage(100, 400, 500));
    ScopeLimits limits = ScopeLimits.of(BucketLimit.perMinute(600), BucketLimit.perMinute(10_000));
    BucketSnapshot after = eventually(() -> reader.snapshot(scope("m"), limits, BucketKind.TOKENS).join().value(),
        snapshot -> snapshot.available() == 9_500);
    assertThat(after.available()).isEqualTo(9_500);
  }

  @Test
  void learnedLimitsReachRedisOnlyWhenTheyChangeMaterially() throws Exception {
    RedisFleetPacing fleet = fleet();
    RedisFleetStore reader = reader();
    DefaultPacer pacer = pacer(fleet, 600, 100_000);
    ScopeLimits seeds = ScopeLimits.of(BucketLimit.perMinute(600), BucketLimit.perMinute(100_000));
    TokenEstimate small = new TokenEstimate("m", 1, 0, 1);

    // 1.7 % more: not written (the reservation after it, on the same connection, sees the old limit;
    // the fleet refills at 98 % of the seed).
    BucketLimit seeded = BucketLimit.of(600, Duration.ofNanos(Math.round(60e9 / 0.98)));
    pacer.reserve(small, ACCOUNT).join(); // creates the buckets
    assertThat(reader.snapshot(scope("m"), seeds, BucketKind.REQUESTS).join().value().limit()).isEqualTo(seeded);
    pacer.onResponse(pacer.reserve(small, ACCOUNT).join(), headers(610, 100_000), null);
    pacer.reserve(small, ACCOUNT).join();
    assertThat(reader.snapshot(scope("m"), seeds, BucketKind.REQUESTS).join().value().limit()).isEqualTo(seeded);

    // 50 % more: written, for the whole fleet.
    pacer.onResponse(pacer.reserve(small, ACCOUNT).join(), headers(900, 100_000), null);
    BucketSnapshot raised = eventually(() -> reader.snapshot(scope("m"), seeds, BucketKind.REQUESTS).join().value(),
        snapshot -> snapshot.limit().capacity() == 900);
    assertThat(raised.limit().capacity()).isEqualTo(900);
    // 90 used, full in 5999 ms: at least 89 / 5.9995 s proven; the fleet refills at 98 % of that.
    assertThat(raised.limit().refillPeriod()).isEqualTo(Duration.ofNanos(Math.round(900 / (89 / 5.9995e9 * 0.98))));
  }

  @Test
  void aRateLearnedFromATinyDeficitIsNotShared() throws Exception {
    RedisFleetPacing fleet = fleet();
    RedisFleetStore reader = reader();
    DefaultPacer pacer = pacer(fleet, 600, 100_000);
    TokenEstimate small = new TokenEstimate("m", 1, 0, 1);
    pacer.reserve(small, ACCOUNT).join(); // creates the buckets at the seeds
    // One request used, reset in 70 ms: 857 a minute, 43 % off, from a deficit too small to trust.
    pacer.onResponse(pacer.reserve(small, ACCOUNT).join(), RateLimits.from(Headers.of(Map.of(
        "x-ratelimit-limit-requests", List.of("600"), "x-ratelimit-remaining-requests", List.of("599"),
        "x-ratelimit-reset-requests", List.of("70ms")))), null);
    pacer.reserve(small, ACCOUNT).join();
    ScopeLimits seeds = ScopeLimits.requestsOnly(BucketLimit.perMinute(600));
    assertThat(reader.snapshot(scope("m"), seeds, BucketKind.REQUESTS).join().value().limit())
        .isEqualTo(BucketLimit.of(600, Duration.ofNanos(Math.round(60e9 / 0.98))));
  }

  @Test
  void aRateThatMovesByMoreThanTwoPerCentIsWritten() throws Exception {
    RedisFleetPacing fleet = fleet();
    RedisFleetStore reader = reader();
    SharedPacingStore.Scope scope = ACCOUNT.withLimitGroup("m");
    SharedPacingStore.Limits first = new SharedPacingStore.Limits(600, Duration.ofSeconds(60), 0, null);
    fleet.reserve(scope, first, 0).join();
    ScopeLimits seeds = ScopeLimits.requestsOnly(BucketLimit.perMinute(600));
    // 1.5 % faster: too small a change to write.
    fleet.publishLimits(scope, new SharedPacingStore.Limits(600, Duration.ofMillis(59_100), 0, null));
    fleet.reserve(scope, first, 0).join();
    assertThat(reader.snapshot(scope("m"), seeds, BucketKind.REQUESTS).join().value().limit().refillPeriod())
        .isEqualTo(Duration.ofSeconds(60));
    // 3 % slower: written (a fleet too fast drains the server, too slow wastes the limit).
    fleet.publishLimits(scope, new SharedPacingStore.Limits(600, Duration.ofMillis(61_800), 0, null));
    BucketSnapshot slower = eventually(() -> reader.snapshot(scope("m"), seeds, BucketKind.REQUESTS).join().value(),
        snapshot -> !snapshot.limit().refillPeriod().equals(Duration.ofSeconds(60)));
    assertThat(slower.limit().refillPeriod()).isEqualTo(Duration.ofMillis(61_800));
  }

  /**
   * Headers of a server whose minute limits are {@code requests} and {@code tokens}, a tenth of the
   * requests used (a deficit large enough for the pacer to trust the rate it teaches).
   */
  private static RateLimits headers(long requests, long tokens) {
    return RateLimits.from(Headers.of(Map.of(
        "x-ratelimit-limit-requests", List.of(Long.toString(requests)),
        "x-ratelimit-remaining-requests", List.of(Long.toString(requests - requests / 10)),
        "x-ratelimit-reset-requests", List.of("5999ms"),
        "x-ratelimit-limit-tokens", List.of(Long.toString(tokens)),
        "x-ratelimit-remaining-tokens", List.of(Long.toString(tokens)),
        "x-ratelimit-reset-tokens", List.of("0s"))));
  }

  @Test
  void a429DrainsTheFleetsBucketSoTheOtherMemberWaitsToo() throws Exception {
    RedisFleetPacing first = fleet();
    RedisFleetPacing second = fleet();
    DefaultPacer one = pacer(first, 600, 1_000_000);
    DefaultPacer two = pacer(second, 600, 1_000_000);
    Reservation limited = one.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join();
    one.onRateLimited(limited, RateLimits.none(), java.util.Optional.of(
        new dev.backoff4j.openai.headers.ServerHint(Duration.ofSeconds(2), "retry-after")));
    // The other member never saw the 429: its next reservation waits out the pause all the same.
    Duration wait = eventually(() -> {
      Reservation r = two.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join();
      two.cancel(r);
      return r.waitTime();
    }, w -> w.compareTo(Duration.ofSeconds(1)) > 0); // the drain is two steps: empty, then charge the pause
    assertThat(wait).isBetween(Duration.ofMillis(1_900), Duration.ofMillis(2_100));
  }

  @Test
  void membersCountEachOtherLive() throws Exception {
    RedisFleetPacing first = fleet();
    RedisFleetPacing second = fleet();
    DefaultPacer one = pacer(first, 600, 1_000_000);
    DefaultPacer two = pacer(second, 600, 1_000_000);
    one.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join();
    two.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join();
    // Heartbeats go beside reservations, every 5 s; the second member's next one counts both.
    time.advance(Duration.ofSeconds(6));
    two.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join();
    int seen = eventually(() -> second.liveInstances(ACCOUNT.withLimitGroup("m")), count -> count == 2);
    assertThat(seen).isEqualTo(2);
    assertThat(first.liveInstances(ACCOUNT.withLimitGroup("m"))).isBetween(1, 2);
  }

  @Test
  void aPacedReservationCostsOneGetAndOneScriptPerBucket() throws Exception {
    RedisFleetPacing fleet = fleet();
    DefaultPacer pacer = pacer(fleet, 100_000_000, 1_000_000_000);
    TokenEstimate estimate = new TokenEstimate("m", 50, 50, 1);
    for (int i = 0; i < 200; i++) {
      pacer.reserve(estimate, ACCOUNT).join(); // warm up: the scope, Lettuce, the scripts
    }
    RedisClient admin = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      int count = 1_000;
      long[] nanos = new long[count];
      Map<String, Long> before = commandCalls(connection);
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        assertThat(pacer.reserve(estimate, ACCOUNT).join().sharedWithFleet()).isTrue();
        nanos[i] = System.nanoTime() - start;
      }
      Map<String, Long> after = commandCalls(connection);
      long gets = after.getOrDefault("get", 0L) - before.getOrDefault("get", 0L);
      long scripts = after.getOrDefault("evalsha", 0L) - before.getOrDefault("evalsha", 0L)
          + after.getOrDefault("eval", 0L) - before.getOrDefault("eval", 0L);
      Arrays.sort(nanos);
      System.out.printf("paced reservation through Redis (requests + tokens), %d sequential: p50 %d us, p90 %d us, "
              + "p99 %d us; per reservation %.2f GET (client and in scripts), %.2f scripts%n", count, nanos[count / 2] / 1000,
          nanos[count * 9 / 10] / 1000, nanos[count * 99 / 100] / 1000, gets / (double) count, scripts / (double) count);
      // Two buckets, each one GET then one compare-and-swap script (whose own GET the server counts too):
      // two round trips deep, as the buckets go in parallel.
      assertThat(scripts / (double) count).isBetween(1.9, 2.1);
      assertThat(gets / (double) count).isBetween(3.8, 4.2);
    } finally {
      admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static final Pattern STAT = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

  private static Map<String, Long> commandCalls(StatefulRedisConnection<String, String> connection) throws Exception {
    Map<String, Long> calls = new HashMap<>();
    Matcher matcher = STAT.matcher(connection.async().info("commandstats").get(5, TimeUnit.SECONDS));
    while (matcher.find()) {
      calls.put(matcher.group(1), Long.parseLong(matcher.group(2)));
    }
    return calls;
  }

  @Test
  void settingsNameThemselvesAndNeverShowThePassword() {
    InvalidSettingException url = catchThrowableOfType(InvalidSettingException.class,
        () -> RedisFleetPacing.builder().redisUrl("http://user:hunter2@redis:6379"));
    assertThat(url.setting()).isEqualTo("redisUrl");
    assertThat(url.getMessage()).contains("redisUrl").doesNotContain("hunter2");

    assertThat(catchThrowableOfType(InvalidSettingException.class, () -> RedisFleetPacing.builder().build()).setting())
        .isEqualTo("redisUrl");
    assertThat(catchThrowableOfType(InvalidSettingException.class,
        () -> RedisFleetPacing.builder().keyPrefix("a{b}")).getMessage())
        .isEqualTo("redis fleet pacing setting 'keyPrefix' must be non-empty, without '{', '}' or spaces, was 'a{b}'");
    assertThat(catchThrowableOfType(InvalidSettingException.class,
        () -> RedisFleetPacing.builder().operationTimeout(Duration.ZERO)).getMessage())
        .isEqualTo("redis fleet pacing setting 'operationTimeout' must be between 1ms and 1m0s, was 0ms");
    assertThat(catchThrowableOfType(InvalidSettingException.class,
        () -> RedisFleetPacing.builder().instanceTtl(null)).setting()).isEqualTo("instanceTtl");

    RedisFleetPacing fleet = RedisFleetPacing.builder().redisUrl("redis://:hunter2@127.0.0.1:1").build();
    open.add(fleet);
    assertThat(fleet.toString()).doesNotContain("hunter2").contains("127.0.0.1:1");
    assertThat(Pacer.builder().sharedStore(fleet).build().toString()).doesNotContain("hunter2");
  }

  @Test
  void aHugeLimitWithASlowRateIsHeldNotRefused() {
    RedisFleetPacing fleet = fleet();
    // A test server's "unlimited": a trillion tokens refilled at 3,000 a second (over ten years).
    SharedPacingStore.Limits huge = new SharedPacingStore.Limits(1_000_000_000, Duration.ofMinutes(1),
        1_000_000_000_000L, Duration.ofSeconds(1_000_000_000_000L / 3_000));
    assertThat(fleet.reserve(ACCOUNT.withLimitGroup("m"), huge, 100).join())
        .isInstanceOf(SharedPacingStore.Reserved.class);
  }

  @Test
  void aRedisThatIsNotThereNeverFailsAReservation() {
    RedisFleetPacing fleet = RedisFleetPacing.builder().redisUrl("redis://127.0.0.1:1").keyPrefix(namespace)
        .operationTimeout(Duration.ofMillis(200)).timeSource(time).build();
    open.add(fleet);
    DefaultPacer pacer = pacer(fleet, 60, 1_000_000);
    Reservation reservation = pacer.reserve(new TokenEstimate("m", 1, 0, 1), ACCOUNT).join();
    assertThat(reservation.sharedWithFleet()).isFalse();
    assertThat(pacer.sharedStoreDown()).isTrue();
    // Alone, on the whole limit (no other member was ever seen), starting empty: one a second.
    assertThat(reservation.waitTime()).isEqualTo(Duration.ofSeconds(1));
  }
}
