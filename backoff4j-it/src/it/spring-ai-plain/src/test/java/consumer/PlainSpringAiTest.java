package consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring AI 2.0.1 as it comes (the SDK's own retries, spring.ai.openai.max-retries=3), on the same
 * scripted mock as the starter's tests: the "plain Spring AI" column of the README's Spring table.
 * Its waits are the SDK's (0.5 s doubling, real time), so this takes some seconds.
 */
@SpringBootTest(properties = {"spring.ai.openai.api-key=sk-test", "spring.ai.openai.timeout=30s"})
class PlainSpringAiTest {

  static final MockServer MOCK = MockServer.start(Scenario.builder().reply("pong").build());

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Application {}

  @DynamicPropertySource
  static void mock(DynamicPropertyRegistry properties) {
    properties.add("spring.ai.openai.base-url", MOCK::baseUrl);
  }

  @AfterAll
  static void stop() {
    MOCK.close();
  }

  @Autowired ChatClient.Builder chatClient;

  @BeforeEach
  void reset() {
    MOCK.reset();
  }

  private static List<Integer> statuses() {
    return MOCK.stats().requests().stream().map(RequestRecord::status).toList();
  }

  private String ask() {
    return chatClient.build().prompt().user("ping").call().content();
  }

  @Test
  void tableRateLimitThenOutageThenSuccessIsThreeAttempts() {
    MOCK.scenario(Scenario.builder().reply("pong").script("429,503,200").build());
    assertThat(ask()).isEqualTo("pong");
    assertThat(statuses()).containsExactly(429, 503, 200);
  }

  @Test
  void tableInsufficientQuotaIsFourAttempts() {
    MOCK.scenario(Scenario.builder().script("quota,quota,quota,quota,quota").build());
    assertThatThrownBy(this::ask).isInstanceOf(RateLimitException.class);
    assertThat(statuses()).containsExactly(429, 429, 429, 429);
  }

  @Test
  void tableRetryAfterAnHourIsWaitedOutWhateverTheTimeout() throws Exception {
    MOCK.scenario(Scenario.builder().script("hint-s:3600").build());
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        ask();
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    caller.setDaemon(true); // should the interrupt not end the SDK's sleep, the JVM still exits
    caller.start();
    long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (MOCK.stats().requests().isEmpty() && System.nanoTime() < giveUp) {
      Thread.sleep(20); // the first call of a JVM loads half of Spring AI first
    }
    assertThat(statuses()).containsExactly(429);
    caller.join(Duration.ofSeconds(3).toMillis());

    // Three seconds after the 429, the call is still asleep in the SDK's retry loop, an hour to go.
    assertThat(caller.isAlive()).isTrue();
    assertThat(outcome.get()).isNull();
    assertThat(statuses()).containsExactly(429);
    caller.interrupt();
    caller.join(Duration.ofSeconds(10).toMillis());
    assertThat(caller.isAlive()).as("the interrupted call ended, so it cannot send to the next test's mock").isFalse();
  }

  @Test
  void tableAnOutageIsFourAttempts() {
    MOCK.scenario(Scenario.builder().script("503,503,503,503,503,503,503,503,503,503").build());
    assertThatThrownBy(this::ask).isInstanceOf(InternalServerException.class);
    assertThat(statuses()).containsExactly(503, 503, 503, 503);
  }

  @Test
  void tableAStreamThroughA429AndA503IsThreeAttempts() {
    MOCK.scenario(Scenario.builder().reply("pong").script("429,503,200").build());
    List<String> pieces = chatClient.build().prompt().user("ping").stream().content().collectList()
        .block(Duration.ofSeconds(20));
    assertThat(String.join("", pieces)).isEqualTo("pong");
    assertThat(statuses()).containsExactly(429, 503, 200);
  }
}
