package consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.RateLimitException;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A user's application test: Spring AI's ChatClient, configured by spring.ai.openai.* alone, against
 * backoff4j-mock on 127.0.0.1, counted at the server; backoff4j's delays shortened so it runs in
 * moments.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1",
    "spring.ai.openai.api-key=sk-test",
    "backoff4j.openai.initial-delay=10ms",
    "backoff4j.openai.max-delay=20ms",
    "management.endpoints.web.exposure.include=prometheus,backoff4j"})
class StarterApplicationTest {

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

  @Value("${local.server.port}") int port;

  @BeforeEach
  void reset() {
    MOCK.reset();
  }

  private static List<Integer> statuses() {
    return MOCK.stats().requests().stream().map(RequestRecord::status).toList();
  }

  @Test
  void aCallThroughA429AndA503IsThreeAttempts() {
    MOCK.scenario(Scenario.builder().reply("pong").script("429,503,200").build());
    assertThat(chatClient.build().prompt().user("ping").call().content()).isEqualTo("pong");
    assertThat(statuses()).containsExactly(429, 503, 200);
  }

  @Test
  void insufficientQuotaIsOneAttemptAndTheSdksException() {
    MOCK.scenario(Scenario.builder().script("quota").build());
    assertThatThrownBy(() -> chatClient.build().prompt().user("ping").call().content())
        .isInstanceOf(RateLimitException.class);
    assertThat(statuses()).containsExactly(429);
  }

  @Test
  void aStreamThroughA429AndA503IsThreeAttempts() {
    MOCK.scenario(Scenario.builder().reply("pong").script("429,503,200").build());
    List<String> pieces = chatClient.build().prompt().user("ping").stream().content().collectList()
        .block(Duration.ofSeconds(20));
    assertThat(String.join("", pieces)).isEqualTo("pong");
    assertThat(statuses()).containsExactly(429, 503, 200);
  }

  record Answer(String answer) {}

  @Test
  void structuredOutputWorks() {
    MOCK.scenario(Scenario.builder().reply("{\"answer\": \"pong\"}").build());
    assertThat(chatClient.build().prompt().user("ping").call().entity(Answer.class)).isEqualTo(new Answer("pong"));
  }

  @Test
  void prometheusShowsBackoff4jsMeters() throws Exception {
    MOCK.scenario(Scenario.builder().reply("pong").script("503,200").build());
    chatClient.build().prompt().user("ping").call().content();

    HttpResponse<String> scrape = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body().lines())
        .anyMatch(line -> line.startsWith("backoff4j_attempts_total{operation=\"chat.completions\",status=\"503\"}"))
        .anyMatch(line -> line.startsWith("backoff4j_calls_seconds_count{exception=\"none\",operation=\"chat.completions\",outcome=\"success\",reason=\"none\"}"));
  }
}
