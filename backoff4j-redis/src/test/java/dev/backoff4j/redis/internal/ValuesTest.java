package dev.backoff4j.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.redis.internal.StoreResult.Why;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The store's values and classifications, without Redis. */
class ValuesTest {

  @Test
  void aScopeKeepsOnlyADigestOfTheAccount() {
    LimitScope scope = LimitScope.of("https://api.openai.com/v1", "sk-live-very-secret", "gpt-4o-mini");

    assertThat(scope.id()).hasSize(32).matches("[0-9a-f]+").doesNotContain("secret");
    assertThat(scope.toString()).doesNotContain("sk-live").contains("gpt-4o-mini");
    assertThat(scope).isEqualTo(LimitScope.of("https://api.openai.com/v1/", "sk-live-very-secret", "gpt-4o-mini"));
    assertThat(scope).isNotEqualTo(LimitScope.of("https://api.openai.com/v1", "sk-live-other", "gpt-4o-mini"));
    assertThat(scope).isNotEqualTo(LimitScope.of("https://api.openai.com/v1", "sk-live-very-secret", "gpt-4o"));
    assertThat(LimitScope.of("a/b", "c", "d")).as("parts are length-prefixed").isNotEqualTo(LimitScope.of("a", "b/c", "d"));
  }

  @Test
  void badLimitsNameTheSetting() {
    assertThatThrownBy(() -> BucketLimit.of(0, Duration.ofSeconds(1))).hasMessageContaining("'capacity'").hasMessageContaining("0");
    assertThatThrownBy(() -> BucketLimit.of(1, Duration.ZERO)).hasMessageContaining("'refillPeriod'");
    assertThatThrownBy(() -> BucketLimit.of(1, Duration.ofDays(400))).hasMessageContaining("'refillPeriod'");
  }

  @Test
  void onlyChangesAboveTenPercentAreMaterial() {
    ScopeLimits base = ScopeLimits.of(BucketLimit.perMinute(500), BucketLimit.perMinute(200_000));

    assertThat(base.differsMaterially(ScopeLimits.of(BucketLimit.perMinute(540), BucketLimit.perMinute(190_000)))).isFalse();
    assertThat(base.differsMaterially(ScopeLimits.of(BucketLimit.perMinute(560), BucketLimit.perMinute(200_000)))).isTrue();
    assertThat(base.differsMaterially(ScopeLimits.of(BucketLimit.perMinute(500), BucketLimit.perMinute(150_000)))).isTrue();
    assertThat(base.differsMaterially(ScopeLimits.of(BucketLimit.of(500, Duration.ofSeconds(45)), BucketLimit.perMinute(200_000))))
        .as("same capacity, a third faster refill")
        .isTrue();
    assertThat(base.differsMaterially(ScopeLimits.requestsOnly(BucketLimit.perMinute(500)))).isTrue();
  }

  @Test
  void unitsRefilledInAPauseRoundUp() {
    BucketLimit tenPerSecond = BucketLimit.of(10, Duration.ofSeconds(1));

    assertThat(tenPerSecond.unitsRefilledIn(Duration.ofMillis(500))).isEqualTo(5);
    assertThat(tenPerSecond.unitsRefilledIn(Duration.ofMillis(501))).isEqualTo(6);
    assertThat(tenPerSecond.unitsRefilledIn(Duration.ZERO)).isZero();
    assertThat(tenPerSecond.unitsRefilledIn(Duration.ofDays(365_000))).isPositive();
  }

  @Test
  void bucket4jConfigurationRoundTrips() {
    BucketLimit limit = BucketLimit.of(1234, Duration.ofSeconds(7));
    assertThat(BucketConfigs.limitOf(BucketConfigs.of(limit))).isEqualTo(limit);
  }

  @Test
  void badSettingsNameTheSetter() {
    assertThatThrownBy(() -> FleetStoreSettings.builder("http://localhost:6379"))
        .hasMessageContaining("redis://");
    assertThatThrownBy(() -> FleetStoreSettings.builder("redis://:pw-secret@").build())
        .hasMessageNotContaining("pw-secret");
    FleetStoreSettings.Builder builder = FleetStoreSettings.builder("redis://127.0.0.1:6379");
    assertThatThrownBy(() -> builder.operationTimeout(Duration.ZERO)).hasMessageStartingWith("operationTimeout");
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofHours(1))).hasMessageStartingWith("connectTimeout");
    assertThatThrownBy(() -> builder.reconnectDelayMax(Duration.ofMillis(1))).hasMessageStartingWith("reconnectDelayMax");
    assertThatThrownBy(() -> builder.instanceTtl(Duration.ofMillis(-1))).hasMessageStartingWith("instanceTtl");
    assertThatThrownBy(() -> builder.keyPrefix("a{b}")).hasMessageStartingWith("keyPrefix");
    assertThatThrownBy(() -> builder.instanceId(" ")).hasMessageStartingWith("instanceId");
  }

  @Test
  void passwordsAreRedactedFromUrlsInText() {
    assertThat(RedisUrls.redact("Unable to connect to redis://user:pa55@host:6379/0 now"))
        .isEqualTo("Unable to connect to redis://***@host:6379/0 now");
    assertThat(RedisUrls.redact("rediss://:pa55@host")).isEqualTo("rediss://***@host");
    assertThat(RedisUrls.redact("redis://host:6379")).isEqualTo("redis://host:6379");
  }

  @Test
  void failuresAreClassifiedByWhatTheCallerCanDo() {
    assertThat(Failures.why(new TimeoutException())).isEqualTo(Why.TIMEOUT);
    assertThat(Failures.why(new RedisCommandTimeoutException("Command timed out after 250 ms"))).isEqualTo(Why.TIMEOUT);
    assertThat(Failures.why(new RedisConnectionException("Unable to connect"))).isEqualTo(Why.NOT_CONNECTED);
    assertThat(Failures.why(new RedisException("Currently not connected. Commands are rejected."))).isEqualTo(Why.NOT_CONNECTED);
    assertThat(Failures.why(new RedisException("Connection closed"))).isEqualTo(Why.CONNECTION_LOST);
    assertThat(Failures.why(new RedisCommandExecutionException("READONLY You can't write against a read only replica.")))
        .isEqualTo(Why.FAILOVER);
    assertThat(Failures.why(new RedisCommandExecutionException("CLUSTERDOWN The cluster is down"))).isEqualTo(Why.FAILOVER);
    assertThat(Failures.why(new RedisCommandExecutionException("ERR unknown command"))).isEqualTo(Why.ERROR);
    assertThat(Failures.classify(new CompletionException(new RedisException("Connection closed")), Duration.ZERO).why())
        .isEqualTo(Why.CONNECTION_LOST);
  }
}
