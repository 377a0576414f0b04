package dev.backoff4j.redis.internal;

import static dev.backoff4j.redis.internal.Stores.done;
import static dev.backoff4j.redis.internal.Stores.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.redis.RedisServerExtension;
import dev.backoff4j.redis.internal.StoreResult.Unavailable;
import dev.backoff4j.redis.internal.StoreResult.Why;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis killed, hung, down from the start: every call is answered within the operation timeout
 * with a typed outcome, and the store works again once Redis is back. Real time, bounded: each test
 * takes at most a few seconds.
 */
class RedisOutageTest {

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private static final LimitScope SCOPE = LimitScope.of("https://api.example.test/v1", "sk-outage", "gpt-test");
  private static final ScopeLimits LIMITS =
      ScopeLimits.of(BucketLimit.of(1000, Duration.ofSeconds(1)), BucketLimit.of(100_000, Duration.ofSeconds(1)));
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  /** Scheduling slack on a shared 2-core machine; an answer later than TIMEOUT + this fails. */
  private static final Duration SLACK = Duration.ofMillis(400);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(5);

  private final Stores stores = new Stores(redis);
  private final Transitions transitions = new Transitions();

  @AfterEach
  void closeStores() {
    stores.close();
  }

  @Test
  void aKilledRedisIsReportedUnavailableWithinTheTimeoutAndUsedAgainAfterRestart() {
    redis.assumeRestartable();
    RedisFleetStore store = stores.connected(b -> b.operationTimeout(TIMEOUT).listener(transitions));
    assertThat(done(store.reserve(SCOPE, LIMITS, 10)).waitNanos()).isZero();

    redis.kill();

    for (int i = 0; i < 20; i++) {
      Unavailable<?> outage = unavailableWithinBound(store.reserve(SCOPE, LIMITS, 10));
      assertThat(outage.why()).isIn(Why.NOT_CONNECTED, Why.CONNECTION_LOST);
    }
    assertThat(unavailableWithinBound(store.heartbeat(SCOPE)).why()).isIn(Why.NOT_CONNECTED, Why.CONNECTION_LOST);
    assertThat(unavailableWithinBound(store.correctTokens(SCOPE, LIMITS, -5)).why())
        .isIn(Why.NOT_CONNECTED, Why.CONNECTION_LOST);
    assertThat(store.isAvailable()).isFalse();
    assertThat(transitions.events).containsExactly("unavailable");

    redis.restart();

    awaitReservationWorks(store);
    assertThat(store.isAvailable()).isTrue();
    assertThat(transitions.events).containsExactly("unavailable", "available");
  }

  @Test
  void aHungRedisTimesOutAtTheOperationTimeout() throws Exception {
    RedisFleetStore store = stores.connected(b -> b.operationTimeout(TIMEOUT));
    done(store.reserve(SCOPE, LIMITS, 1));

    RedisClient admin = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      // The server stops serving every client for 1 s, like a hung or overloaded Redis.
      connection.sync().clientPause(1000);
      long start = System.nanoTime();

      Unavailable<?> outage = unavailableWithinBound(store.reserve(SCOPE, LIMITS, 1));

      assertThat(outage.why()).isEqualTo(Why.TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(5));
    } finally {
      admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    awaitReservationWorks(store);
  }

  @Test
  void aRedisDownAtStartIsAnsweredAtOnceAndJoinedWhenItComesUp() {
    redis.assumeRestartable();
    redis.kill();
    RedisFleetStore store = stores.unconnected(b -> b.operationTimeout(TIMEOUT).listener(transitions));
    assertThat(join(store.connection())).isFalse();

    Unavailable<?> outage = unavailableWithinBound(store.reserve(SCOPE, LIMITS, 1));
    assertThat(outage.why()).isEqualTo(Why.NOT_CONNECTED);
    assertThat(outage.detail()).contains("no connection");
    assertThat(store.lastKnownLiveInstances(SCOPE)).isEmpty();

    redis.restart();

    awaitReservationWorks(store);
    assertThat(transitions.events).containsExactly("unavailable", "available");
  }

  @Test
  void aBucketLostWithRedisComesBackEmptyNotFull() {
    redis.assumeRestartable();
    dev.backoff4j.testkit.VirtualTime time = new dev.backoff4j.testkit.VirtualTime();
    RedisFleetStore store = stores.connected(b -> b.operationTimeout(TIMEOUT).timeSource(time));
    assertThat(done(store.reserve(SCOPE, LIMITS, 10)).waitNanos()).as("a new fleet starts full").isZero();

    redis.kill();
    redis.restart(); // no persistence: every bucket is gone

    StoreResult<FleetReservation> first = awaitReservationWorks(store);
    // Created empty: even the first request waits for one refill (1 ms at 1000 per second).
    assertThat(first.value().waitTime()).isEqualTo(Duration.ofMillis(1));
    assertThat(first.value().requestsLeft()).isEqualTo(-1);
  }

  @Test
  void theLastKnownInstanceCountOutlivesAnOutage() {
    redis.assumeRestartable();
    RedisFleetStore a = stores.connected(b -> b.operationTimeout(TIMEOUT).instanceId("a"));
    RedisFleetStore b = stores.connected(x -> x.operationTimeout(TIMEOUT).instanceId("b"));
    done(a.heartbeat(SCOPE));
    assertThat(done(b.heartbeat(SCOPE))).isEqualTo(2);

    redis.kill();

    assertThat(unavailableWithinBound(b.heartbeat(SCOPE)).why()).isIn(Why.NOT_CONNECTED, Why.CONNECTION_LOST);
    assertThat(b.lastKnownLiveInstances(SCOPE)).hasValue(2);
  }

  @Test
  void aWrongPasswordNeverShowsInOutcomesOrSettings() {
    redis.assumeRestartable(); // adds a user: not on someone else's server
    RedisClient admin = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      connection.sync().aclSetuser("b4j-test", io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("right-password").allCommands().allKeys());
      String url = redis.url().replace("redis://", "redis://b4j-test:hunter2-secret@");
      FleetStoreSettings settings = FleetStoreSettings.builder(url).operationTimeout(TIMEOUT).build();
      RedisFleetStore store = RedisFleetStore.connect(settings);
      try {
        assertThat(join(store.connection())).as("WRONGPASS").isFalse();
        StoreResult<FleetReservation> result = join(store.reserve(SCOPE, LIMITS, 1));

        assertThat(result).isInstanceOf(Unavailable.class);
        assertThat(((Unavailable<?>) result).detail()).doesNotContain("hunter2").containsIgnoringCase("pass");
        assertThat(result.toString()).doesNotContain("hunter2");
        assertThat(settings.toString()).doesNotContain("hunter2").contains("***@");
        assertThat(store.toString()).doesNotContain("hunter2");
      } finally {
        store.close();
        connection.sync().aclDeluser("b4j-test");
      }
    } finally {
      admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void callsAfterCloseAreAnsweredNotThrown() {
    RedisFleetStore store = stores.connected(b -> b.operationTimeout(TIMEOUT));
    store.close();

    Unavailable<?> outage = unavailableWithinBound(store.reserve(SCOPE, LIMITS, 1));

    assertThat(outage.why()).isEqualTo(Why.ERROR);
    assertThat(outage.detail()).contains("closed");
  }

  /** Asserts the call is answered "unavailable" within TIMEOUT + SLACK of being made. */
  private static Unavailable<?> unavailableWithinBound(CompletableFuture<? extends StoreResult<?>> call) {
    long start = System.nanoTime();
    StoreResult<?> result;
    try {
      result = call.get(TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer within " + TIMEOUT.plus(SLACK).toMillis() + " ms", e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(result).as("answered after %d ms", took.toMillis()).isInstanceOf(Unavailable.class);
    return (Unavailable<?>) result;
  }

  /** Reserves until Redis answers (bounded); returns that first successful reservation. */
  private static StoreResult<FleetReservation> awaitReservationWorks(RedisFleetStore store) {
    long deadline = System.nanoTime() + RECOVERY_BOUND.toNanos();
    StoreResult<FleetReservation> last = null;
    while (System.nanoTime() < deadline) {
      last = join(store.reserve(SCOPE, LIMITS, 1));
      if (last.isDone()) {
        return last;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("store did not recover within " + RECOVERY_BOUND + "; last: " + last);
  }

  private static final class Transitions implements StoreListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onUnavailable(Unavailable<?> outcome) {
      events.add("unavailable");
    }

    @Override
    public void onAvailable() {
      events.add("available");
    }
  }
}
