package dev.backoff4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.pacing.SharedStoreBack;
import dev.backoff4j.openai.pacing.SharedStoreDown;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three members of a fleet (separate clients, pacers and Redis connections, one API key) against a
 * real rate-limiting server (backoff4j-mock, 127.0.0.1) and a real redis-server: sharing the limit
 * through Redis, they stay under it; each alone, they overrun it. Real time, bounded: each run takes
 * a few seconds (the limit is 20 requests a second).
 */
class FleetPacingTest {

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private static final int MEMBERS = 3;
  private static final int REQUESTS_EACH = 40;
  private static final int WORKERS_EACH = 4;
  /** 40 requests per 2 s window, refilled continuously: a burst of 40, then 20 a second. */
  private static final Scenario LIMITED = Scenario.builder().rpm(40).tpm(100_000_000).window(Duration.ofSeconds(2))
      .latency(Duration.ofMillis(20)).requestLogCapacity(0).build();
  private static final Duration BOUND = Duration.ofSeconds(40);

  private static MockServer server;

  @BeforeAll
  static void startServer() {
    server = MockServer.start(LIMITED);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private Fleet fleet(String redisUrl) {
    server.reset();
    server.scenario(LIMITED);
    return new Fleet(MEMBERS, server.baseUrl(), redisUrl, RedisServerExtension.freshNamespace(), b -> b);
  }

  @Test
  void membersSharingTheLimitThroughRedisDrawFarFewer429sThanMembersPacingAlone() throws Exception {
    long alone429s;
    try (Fleet fleet = fleet(null)) {
      assertThat(fleet.run(REQUESTS_EACH, WORKERS_EACH, BOUND)).isEmpty();
      alone429s = server.stats().count(429);
    }
    long shared429s;
    try (Fleet fleet = fleet(redis.url())) {
      assertThat(fleet.run(REQUESTS_EACH, WORKERS_EACH, BOUND)).isEmpty();
      shared429s = server.stats().count(429);
      assertThat(fleet.members).allSatisfy(member -> assertThat(member.events()).isEmpty());
    }
    int requests = MEMBERS * REQUESTS_EACH;
    System.out.printf("FleetPacingTest: %d requests, 429s pacing alone %d, sharing through Redis %d%n", requests,
        alone429s, shared429s);
    // Alone, each member believes the server's whole bucket is its own (measured: tens of 429s).
    assertThat(alone429s).as("429s pacing alone").isGreaterThanOrEqualTo(10);
    // Shared: the cold start's first requests and arrival jitter may still meet an empty bucket.
    assertThat(shared429s).as("429s sharing through Redis (alone: %d)", alone429s)
        .isLessThanOrEqualTo(Math.max(2, requests / 50)).isLessThan(alone429s / 4);
  }

  @Test
  void killingRedisMidRunFailsNoRequestAndTheMembersRejoinAfterTheRestart() throws Exception {
    redis.assumeRestartable();
    try (Fleet fleet = fleet(redis.url())) {
      Thread disruption = new Thread(() -> {
        try {
          // Killed half a second after the first burst (40 at once, then 20 a second), back 2 s later.
          awaitCompleted(fleet, 50);
          redis.kill();
          awaitCompleted(fleet, 90);
          redis.restart();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "redis-disruption");
      disruption.start();
      List<String> failures = fleet.run(REQUESTS_EACH, WORKERS_EACH, BOUND);
      disruption.join(BOUND.toMillis());
      assertThat(failures).as("failed requests").isEmpty();
      assertThat(redis.isRunning()).isTrue();
      long rateLimited = server.stats().count(429);
      // A member may have sent all its requests before the restart: one more call each, shared again.
      for (Fleet.Member member : fleet.members) {
        member.client().chat().create(Fleet.HELLO);
      }
      // Every member met the outage (each reserved during it), paced alone, and rejoined.
      for (Fleet.Member member : fleet.members) {
        assertThat(member.events()).as("events of %s", member.store())
            .hasSizeGreaterThanOrEqualTo(2)
            .first().isInstanceOfSatisfying(SharedStoreDown.class,
                down -> assertThat(down.liveInstances()).isEqualTo(MEMBERS));
        assertThat(member.events().get(member.events().size() - 1)).isInstanceOf(SharedStoreBack.class);
      }
      System.out.printf("FleetPacingTest: Redis killed at 50 of %d requests, back at 90: 429s %d%n",
          MEMBERS * REQUESTS_EACH, rateLimited);
      assertThat(rateLimited).as("429s with Redis killed at 50 of 120 requests, back at 90")
          .isLessThanOrEqualTo(MEMBERS * REQUESTS_EACH / 20);
    }
  }

  private static void awaitCompleted(Fleet fleet, int count) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (fleet.completed.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }
}
