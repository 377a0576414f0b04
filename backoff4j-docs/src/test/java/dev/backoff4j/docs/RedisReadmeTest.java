package dev.backoff4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

// tag::redis-fleet[]
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerListener;
import dev.backoff4j.openai.pacing.SharedStoreDown;
import dev.backoff4j.redis.RedisFleetPacing;
import java.time.Duration;
// end::redis-fleet[]

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.redis.testkit.RedisBinary;
import dev.backoff4j.redis.testkit.RedisServerProcess;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** backoff4j-redis's README: a client whose pacer shares the limit through a real redis-server. */
class RedisReadmeTest {

  @Test
  void fleetSharedPacing() throws Exception {
    MockServer mock = Docs.envMock(Scenario.builder().reply("Hi!").build());
    AtomicInteger outages = new AtomicInteger();
    try (RedisServerProcess redis = RedisServerProcess.startOnFreePort(RedisBinary.find())) {
      String redisUrl = redis.url();
      // tag::redis-fleet[]

      RedisFleetPacing fleet = RedisFleetPacing.builder()
          .redisUrl(redisUrl)                          // e.g. "redis://:password@redis.internal:6379"
          .keyPrefix("backoff4j")                      // the default; fleets that must not share use another
          .operationTimeout(Duration.ofMillis(250))    // the default; then this process paces alone
          .build();                                    // connects in the background
      // end::redis-fleet[]
      // The test's JVM loads Lettuce for the first time here: wait, so the calls below go through Redis.
      assertThat(fleet.connected().get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      // tag::redis-fleet[]
      Pacer pacer = Pacer.builder()
          .sharedStore(fleet)
          .addListener(new PacerListener() {           // optional: count outages
            @Override
            public void onSharedStoreDown(SharedStoreDown event) {
              outages.incrementAndGet();
            }
          })
          .build();
      OpenAiClient client = OpenAiClient.builder().pacer(pacer).build(); // $OPENAI_API_KEY, $OPENAI_BASE_URL
      String reply = client.chat().create(ChatRequest.of("gpt-4o-mini", ChatMessage.user("Say hi"))).text();
      // end::redis-fleet[]
      // The first response taught the limits: the second call is queued with the fleet, in Redis.
      client.chat().create(ChatRequest.of("gpt-4o-mini", ChatMessage.user("Again")));
      io.lettuce.core.RedisClient admin = io.lettuce.core.RedisClient.create(redisUrl);
      try (var connection = admin.connect()) {
        assertThat(connection.sync().keys("backoff4j:{*}:requests")).hasSize(1);
      } finally {
        admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      // tag::redis-fleet[]
      // ... at shutdown:
      fleet.close();
      // end::redis-fleet[]

      assertThat(reply).isEqualTo("Hi!");
    }
    assertThat(outages.get()).isZero();
    assertThat(mock.stats().count(200)).isEqualTo(2);
  }
}
