package dev.backoff4j.redis.internal;

import static dev.backoff4j.redis.internal.Stores.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.redis.RedisServerExtension;
import dev.backoff4j.testkit.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store against a real redis-server. Bucket refills run on a shared {@link VirtualTime}, so
 * every wait is exact and no test sleeps; only Redis round trips take real time.
 */
class RedisFleetStoreTest {

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private static final LimitScope SCOPE = LimitScope.of("https://api.example.test/v1", "sk-test-key", "gpt-test");
  /** 10 requests per second and 1000 tokens per second, both starting full. */
  private static final ScopeLimits LIMITS =
      ScopeLimits.of(BucketLimit.of(10, Duration.ofSeconds(1)), BucketLimit.of(1000, Duration.ofSeconds(1)));

  private final VirtualTime time = new VirtualTime();
  private final Stores stores = new Stores(redis);

  @AfterEach
  void closeStores() {
    stores.close();
  }

  @Test
  void reservationsFromThreeStoresQueueAtTheBucketRate() {
    List<RedisFleetStore> fleet = List.of(stores.connected(time), stores.connected(time), stores.connected(time));

    // 30 reservations in flight at once, 10 from each store: compare-and-swap contention included.
    List<CompletableFuture<StoreResult<FleetReservation>>> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      calls.add(fleet.get(i % 3).reserve(SCOPE, LIMITS, 10));
    }
    List<Long> waits = calls.stream().map(call -> done(call).waitNanos()).sorted().toList();

    // The first 10 fit the full bucket; each later one waits one refill (100 ms) behind the one
    // before it, whichever store made it: no slot is handed out twice.
    List<Long> expected = LongStream.range(0, 30)
        .map(k -> Math.max(0, k - 9) * Duration.ofMillis(100).toNanos())
        .boxed()
        .toList();
    assertThat(waits).isEqualTo(expected);
  }

  @Test
  void waitsFollowTheRefillClock() {
    RedisFleetStore store = stores.connected(time);
    for (int i = 0; i < 10; i++) {
      assertThat(done(store.reserve(SCOPE, LIMITS, 1)).waitNanos()).isZero();
    }
    FleetReservation eleventh = done(store.reserve(SCOPE, LIMITS, 1));
    assertThat(eleventh.waitTime()).isEqualTo(Duration.ofMillis(100));
    java.time.Instant now = time.now();
    assertThat(eleventh.dueAtEpochNanos())
        .as("due on the fleet's clock")
        .isEqualTo(now.getEpochSecond() * 1_000_000_000L + now.getNano() + Duration.ofMillis(100).toNanos());

    time.advance(Duration.ofMillis(300));

    // 3 refilled, 1 of them already promised to the reservation above: 2 go at once, then the queue.
    assertThat(done(store.reserve(SCOPE, LIMITS, 1)).waitNanos()).isZero();
    assertThat(done(store.reserve(SCOPE, LIMITS, 1)).waitNanos()).isZero();
    assertThat(done(store.reserve(SCOPE, LIMITS, 1)).waitTime()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theTokensBucketCanBeTheOneThatWaits() {
    RedisFleetStore store = stores.connected(time);
    ScopeLimits limits = ScopeLimits.of(BucketLimit.of(100, Duration.ofSeconds(1)), BucketLimit.of(100, Duration.ofSeconds(1)));

    FleetReservation first = done(store.reserve(SCOPE, limits, 60));
    FleetReservation second = done(store.reserve(SCOPE, limits, 60));

    assertThat(first.waitNanos()).isZero();
    assertThat(first.tokensLeft()).isEqualTo(40);
    assertThat(second.requestWaitNanos()).isZero();
    assertThat(second.tokensLeft()).isEqualTo(-20);
    assertThat(second.waitTime()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aScopeWithoutTokenLimitChargesRequestsOnly() {
    RedisFleetStore store = stores.connected(time);
    ScopeLimits requestsOnly = ScopeLimits.requestsOnly(BucketLimit.of(1, Duration.ofSeconds(1)));

    FleetReservation first = done(store.reserve(SCOPE, requestsOnly, 5_000));
    FleetReservation second = done(store.reserve(SCOPE, requestsOnly, 5_000));

    assertThat(first.tokens()).isZero();
    assertThat(first.waitNanos()).isZero();
    assertThat(second.waitTime()).isEqualTo(Duration.ofSeconds(1));
    assertThat(store.fleetLimits(SCOPE)).contains(requestsOnly);
  }

  @Test
  void usageCorrectionRefundsAndOverCharges() {
    RedisFleetStore store = stores.connected(time);
    ScopeLimits limits = ScopeLimits.of(BucketLimit.of(100, Duration.ofSeconds(1)), BucketLimit.of(100, Duration.ofSeconds(1)));
    done(store.reserve(SCOPE, limits, 80));

    done(store.correctTokens(SCOPE, limits, -50));
    assertThat(done(store.snapshot(SCOPE, limits, BucketKind.TOKENS)).available()).isEqualTo(70);

    done(store.correctTokens(SCOPE, limits, +90));
    assertThat(done(store.snapshot(SCOPE, limits, BucketKind.TOKENS)).available()).isEqualTo(-20);
    // Over-charged: the next reservation waits for the 20 owed plus its own 10.
    assertThat(done(store.reserve(SCOPE, limits, 10)).waitTime()).isEqualTo(Duration.ofMillis(300));

    done(store.correctTokens(SCOPE, limits, -1_000));
    assertThat(done(store.snapshot(SCOPE, limits, BucketKind.TOKENS)).available())
        .as("a refund never fills the bucket past its capacity")
        .isEqualTo(100);
  }

  @Test
  void aCancelledReservationIsGivenBackWhole() {
    RedisFleetStore store = stores.connected(time);
    FleetReservation reservation = done(store.reserve(SCOPE, LIMITS, 400));
    assertThat(done(store.snapshot(SCOPE, LIMITS, BucketKind.REQUESTS)).available()).isEqualTo(9);

    done(store.cancel(SCOPE, LIMITS, reservation));

    assertThat(done(store.snapshot(SCOPE, LIMITS, BucketKind.REQUESTS)).available()).isEqualTo(10);
    assertThat(done(store.snapshot(SCOPE, LIMITS, BucketKind.TOKENS)).available()).isEqualTo(1000);
  }

  @Test
  void aDrainPausesEveryStoreForThePause() {
    RedisFleetStore hit429 = stores.connected(time);
    RedisFleetStore other = stores.connected(time);
    done(hit429.reserve(SCOPE, LIMITS, 1));

    done(hit429.drain(SCOPE, LIMITS, BucketKind.REQUESTS, Duration.ofMillis(500)));

    assertThat(done(other.reserve(SCOPE, LIMITS, 1)).waitTime()).isEqualTo(Duration.ofMillis(500));
    assertThat(done(other.reserve(SCOPE, LIMITS, 1)).waitTime()).isEqualTo(Duration.ofMillis(600));
  }

  @Test
  void aDrainWithoutPauseOnlyEmptiesTheBucket() {
    RedisFleetStore store = stores.connected(time);

    done(store.drain(SCOPE, LIMITS, BucketKind.REQUESTS, Duration.ZERO));

    assertThat(done(store.reserve(SCOPE, LIMITS, 1)).waitTime()).isEqualTo(Duration.ofMillis(100));
    assertThat(done(store.snapshot(SCOPE, LIMITS, BucketKind.TOKENS)).available())
        .as("the other bucket is not drained")
        .isEqualTo(999);
  }

  @Test
  void aDrainCountsTheQueueAlreadyWaitingTowardsThePause() {
    RedisFleetStore store = stores.connected(time);
    for (int i = 0; i < 15; i++) {
      done(store.reserve(SCOPE, LIMITS, 1));
    }
    // 5 queued: the last of them is due at 500 ms, which already covers a 300 ms pause.

    done(store.drain(SCOPE, LIMITS, BucketKind.REQUESTS, Duration.ofMillis(300)));

    assertThat(done(store.reserve(SCOPE, LIMITS, 1)).waitTime()).isEqualTo(Duration.ofMillis(600));
  }

  @Test
  void learnedLimitsAreWrittenOnlyWhenTheyChangeMaterially() {
    RedisFleetStore learner = stores.connected(time);
    RedisFleetStore other = stores.connected(time);
    done(learner.reserve(SCOPE, LIMITS, 100));
    assertThat(learner.fleetLimits(SCOPE)).contains(LIMITS);

    ScopeLimits wobble = ScopeLimits.of(BucketLimit.of(10, Duration.ofMillis(985)), BucketLimit.of(1050, Duration.ofMillis(1040)));
    assertThat(done(learner.replaceLimits(SCOPE, wobble))).as("a 5 % larger limit, rates within 2 %: not written").isFalse();
    assertThat(done(other.snapshot(SCOPE, LIMITS, BucketKind.TOKENS)).limit()).isEqualTo(LIMITS.tokens().orElseThrow());
    assertThat(done(other.snapshot(SCOPE, LIMITS, BucketKind.REQUESTS)).limit()).isEqualTo(LIMITS.requests());

    // A rate moved by more than 2 % is written: too fast a fleet drains the server, too slow wastes the limit.
    ScopeLimits slower = ScopeLimits.of(BucketLimit.of(10, Duration.ofMillis(1050)), LIMITS.tokens().orElseThrow());
    assertThat(done(learner.replaceLimits(SCOPE, slower))).as("a 5 % slower rate is written").isTrue();
    assertThat(done(other.snapshot(SCOPE, LIMITS, BucketKind.REQUESTS)).limit()).isEqualTo(slower.requests());

    ScopeLimits raised = ScopeLimits.of(BucketLimit.of(20, Duration.ofSeconds(1)), BucketLimit.of(2000, Duration.ofSeconds(1)));
    assertThat(done(learner.replaceLimits(SCOPE, raised))).isTrue();

    // The other store still asks with the old limits; the fleet's stored limits win.
    FleetReservation seenByOther = done(other.reserve(SCOPE, LIMITS, 100));
    assertThat(other.fleetLimits(SCOPE)).contains(raised);
    // Additive: the 1000 more tokens per window are added to what was left (900), minus this 100.
    assertThat(seenByOther.tokensLeft()).isEqualTo(1800);
    assertThat(seenByOther.requestsLeft()).isEqualTo(18);
  }

  @Test
  void aLoweredLimitCapsWhatIsLeft() {
    RedisFleetStore store = stores.connected(time);
    done(store.reserve(SCOPE, LIMITS, 100));
    ScopeLimits lowered = ScopeLimits.of(BucketLimit.of(5, Duration.ofSeconds(1)), BucketLimit.of(500, Duration.ofSeconds(1)));

    assertThat(done(store.replaceLimits(SCOPE, lowered))).isTrue();

    assertThat(done(store.snapshot(SCOPE, lowered, BucketKind.TOKENS)).available()).isEqualTo(500);
    assertThat(done(store.snapshot(SCOPE, lowered, BucketKind.REQUESTS)).limit()).isEqualTo(lowered.requests());
  }

  @Test
  void heartbeatsCountLiveInstancesAndForgetSilentOnes() {
    RedisFleetStore a = stores.connected(b -> b.timeSource(time).instanceTtl(Duration.ofSeconds(10)).instanceId("a"));
    RedisFleetStore b = stores.connected(x -> x.timeSource(time).instanceTtl(Duration.ofSeconds(10)).instanceId("b"));
    RedisFleetStore c = stores.connected(x -> x.timeSource(time).instanceTtl(Duration.ofSeconds(10)).instanceId("c"));
    assertThat(a.lastKnownLiveInstances(SCOPE)).isEmpty();

    done(a.heartbeat(SCOPE));
    done(b.heartbeat(SCOPE));
    assertThat(done(c.heartbeat(SCOPE))).isEqualTo(3);

    time.advance(Duration.ofSeconds(6));
    done(a.heartbeat(SCOPE));
    assertThat(done(b.heartbeat(SCOPE))).as("c was seen 6 s ago, within the 10 s TTL").isEqualTo(3);

    time.advance(Duration.ofSeconds(5));
    assertThat(done(a.heartbeat(SCOPE))).as("c was last seen 11 s ago").isEqualTo(2);
    assertThat(a.lastKnownLiveInstances(SCOPE)).hasValue(2);

    b.close();
    assertThat(done(a.heartbeat(SCOPE))).as("b left when it closed").isEqualTo(1);
  }

  @Test
  void scopesDoNotShareBuckets() {
    RedisFleetStore store = stores.connected(time);
    LimitScope otherModel = LimitScope.of("https://api.example.test/v1", "sk-test-key", "other-model");
    ScopeLimits one = ScopeLimits.requestsOnly(BucketLimit.of(1, Duration.ofSeconds(1)));

    assertThat(done(store.reserve(SCOPE, one, 0)).waitNanos()).isZero();
    assertThat(done(store.reserve(otherModel, one, 0)).waitNanos()).isZero();
    assertThat(done(store.reserve(SCOPE, one, 0)).waitNanos()).isPositive();
  }

  @Test
  void keysOfOneScopeShareAClusterHashSlotAndHoldNoSecret() {
    RedisKeys keys = new RedisKeys(stores.namespace());
    String requests = new String(keys.bucket(SCOPE, BucketKind.REQUESTS), java.nio.charset.StandardCharsets.UTF_8);
    String tokens = new String(keys.bucket(SCOPE, BucketKind.TOKENS), java.nio.charset.StandardCharsets.UTF_8);
    String instances = new String(keys.instances(SCOPE), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(requests).isEqualTo(stores.namespace() + ":{" + SCOPE.id() + "}:requests");
    assertThat(List.of(requests, tokens, instances)).allSatisfy(key -> {
      assertThat(hashTag(key)).isEqualTo(SCOPE.id());
      assertThat(key).doesNotContain("sk-test-key");
    });
  }

  /** What Redis Cluster hashes: the text between the first '{' and the next '}'. */
  private static String hashTag(String key) {
    int open = key.indexOf('{');
    int close = key.indexOf('}', open + 1);
    return key.substring(open + 1, close);
  }
}
