package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.redis.testkit.RedisBinary;
import dev.backoff4j.redis.testkit.RedisServerProcess;
import dev.backoff4j.redis.testkit.RespPing;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** S5-jvm's Redis variant: a real redis-server (127.0.0.1, nothing on disk) killed and restarted on schedule. */
class RedisDisruptionTest {

  @Test
  void killsRedisAtOneMomentAndRestartsItOnTheSamePortAtTheNext() {
    try (RedisServerProcess redis = RedisServerProcess.startOnFreePort(RedisBinary.find())) {
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
      long zero = System.nanoTime();
      boolean sawItDown = false;
      try (RedisDisruption disruption =
          new RedisDisruption(redis, zero, Duration.ofMillis(50), Duration.ofMillis(250))) {
        long until = zero + Duration.ofSeconds(5).toNanos();
        while (!sawItDown && System.nanoTime() < until) {
          sawItDown = !RespPing.ping("127.0.0.1", redis.port(), Duration.ofMillis(50));
        }
        disruption.await(Duration.ofSeconds(15));
        assertThat(sawItDown).as("PING refused between the kill and the restart").isTrue();
        assertThat(disruption.killedAtSeconds().getAsDouble()).isBetween(0.05, 5.0);
        assertThat(disruption.restartedAtSeconds().getAsDouble())
            .isGreaterThanOrEqualTo(0.25)
            .isGreaterThanOrEqualTo(disruption.killedAtSeconds().getAsDouble());
      }
      assertThat(RespPing.ping("127.0.0.1", redis.port(), Duration.ofMillis(500))).isTrue();
    }
  }

  @Test
  void aRestartBeforeTheKillIsRefusedByName() {
    assertThatThrownBy(() -> new RedisDisruption(null, 0, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("restartAt (PT1S) must not be before killAt (PT2S)");
  }
}
