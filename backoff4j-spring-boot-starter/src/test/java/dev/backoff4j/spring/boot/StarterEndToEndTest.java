package dev.backoff4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.testkit.VirtualTime;
import dev.backoff4j.time.TimeSource;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot web application with Spring AI's OpenAI starter, the actuator and Prometheus, as a
 * user has it, against backoff4j-mock on 127.0.0.1: real {@code ChatClient} calls, counted at the
 * server. The application runs on a virtual clock (a {@code TimeSource} bean), so the preset's
 * waits are counted, not slept; the streaming application, whose waits are scheduled rather than
 * slept, runs on the system clock with short delays. Started with {@link SpringApplicationBuilder}
 * (this module's tests need no {@code @SpringBootTest}).
 *
 * <p>The rows of the README's "plain Spring AI vs with the starter" table, starter column, are the
 * tests named {@code table...}; the plain column is the consumer build {@code spring-ai-plain}.
 */
class StarterEndToEndTest {

  private static final MockServer MOCK = MockServer.start(Scenario.builder().reply("pong").build());
  private static final VirtualTime TIME = new VirtualTime();
  private static final List<Observation.Context> OBSERVED = new CopyOnWriteArrayList<>();

  /** The preset as a user gets it (only a deadline added, for the table), on the virtual clock. */
  private static ConfigurableApplicationContext app;
  private static ChatClient chat;
  /** Pacing on, short delays, the system clock: streams, and the pacer's learned limits. */
  private static ConfigurableApplicationContext paced;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    ObservationHandler<Observation.Context> recordsObservations() {
      return new ObservationHandler<>() {
        @Override
        public boolean supportsContext(Observation.Context context) {
          return true;
        }

        @Override
        public void onStop(Observation.Context context) {
          OBSERVED.add(context);
        }
      };
    }
  }

  @SpringBootConfiguration
  static class VirtualClock {
    @Bean
    TimeSource backoff4jTimeSource() {
      return TIME;
    }
  }

  static SpringApplicationBuilder application(Class<?>... sources) {
    return new SpringApplicationBuilder(sources).properties(
        "spring.main.banner-mode=off",
        "logging.level.root=WARN",
        "spring.ai.openai.base-url=" + MOCK.baseUrl(),
        "spring.ai.openai.api-key=sk-test",
        "spring.ai.openai.chat.model=gpt-4o-mini",
        "management.endpoints.web.exposure.include=health,prometheus,backoff4j");
  }

  /** Two Boot applications load some thousand classes: more than a test's minute on a busy 2-core machine. */
  @BeforeAll
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  static void start() {
    app = application(App.class, VirtualClock.class).web(WebApplicationType.SERVLET)
        .properties("server.port=0", "server.address=127.0.0.1", "backoff4j.openai.deadline=30s")
        .run();
    chat = app.getBean(ChatClient.Builder.class).build();
    paced = application(App.class).web(WebApplicationType.SERVLET)
        .properties("server.port=0", "server.address=127.0.0.1", "backoff4j.openai.pacing.enabled=true",
            "backoff4j.openai.initial-delay=10ms", "backoff4j.openai.max-delay=20ms")
        .run();
  }

  @AfterAll
  static void stop() {
    for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {app, paced}) {
      if (context != null) {
        context.close();
      }
    }
    MOCK.close();
  }

  @BeforeEach
  void reset() {
    MOCK.reset();
  }

  private static List<Integer> statuses() {
    return MOCK.stats().requests().stream().map(RequestRecord::status).toList();
  }

  private static String ask() {
    return chat.prompt().user("ping").call().content();
  }

  private static OpenAIServiceException failure(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof OpenAIServiceException sdk) {
          return sdk;
        }
      }
      throw new AssertionError("not the SDK's exception", e);
    }
    throw new AssertionError("the call succeeded");
  }

  private static String get(ConfigurableApplicationContext context, String path) throws Exception {
    int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  @Test
  void tableRateLimitThenOutageThenSuccessIsThreeAttemptsWithTwoWaits() {
    MOCK.scenario(Scenario.builder().reply("pong").script("429,503,200").build());
    int sleeps = TIME.sleeps().size();

    assertThat(ask()).isEqualTo("pong");

    assertThat(statuses()).containsExactly(429, 503, 200);
    assertThat(TIME.sleeps()).hasSize(sleeps + 2);
  }

  @Test
  void tableInsufficientQuotaIsOneAttemptSurfacingTheSdksException() {
    MOCK.scenario(Scenario.builder().script("quota").build());

    OpenAIServiceException e = failure(StarterEndToEndTest::ask);

    assertThat(e).isInstanceOf(RateLimitException.class);
    assertThat(e.headers().values(Backoff4jOpenAI.ATTEMPTS_HEADER)).containsExactly("1");
    assertThat(e.headers().values(Backoff4jOpenAI.GAVE_UP_HEADER)).containsExactly("NOT_RETRYABLE");
    assertThat(statuses()).containsExactly(429);
  }

  @Test
  void tableRetryAfterAnHourWithADeadlineFailsAtOnce() {
    MOCK.scenario(Scenario.builder().script("hint-s:3600").build());
    int sleeps = TIME.sleeps().size();

    OpenAIServiceException e = failure(StarterEndToEndTest::ask);

    assertThat(e).isInstanceOf(RateLimitException.class);
    assertThat(e.headers().values(Backoff4jOpenAI.GAVE_UP_HEADER)).containsExactly("HINT_EXCEEDS_CAP");
    assertThat(e.headers().values(Backoff4jOpenAI.REJECTED_HINT_HEADER)).containsExactly("3600000");
    assertThat(statuses()).containsExactly(429);
    assertThat(TIME.sleeps()).hasSize(sleeps);
  }

  @Test
  void tableAnOutageIsFiveAttemptsThenTheSdksException() {
    MOCK.scenario(Scenario.builder().script("503,503,503,503,503,503,503,503,503,503").build());

    OpenAIServiceException e = failure(StarterEndToEndTest::ask);

    assertThat(e).isInstanceOf(InternalServerException.class);
    assertThat(e.headers().values(Backoff4jOpenAI.GAVE_UP_HEADER)).containsExactly("RETRIES_EXHAUSTED");
    assertThat(statuses()).containsExactly(503, 503, 503, 503, 503);
  }

  @Test
  void embeddingsAreBridgedToo() {
    MOCK.scenario(Scenario.builder().script("503,200").build());

    assertThat(app.getBean(EmbeddingModel.class).embed("hello")).isNotEmpty();

    assertThat(statuses()).containsExactly(503, 200);
  }

  record Answer(String answer) {}

  @Test
  void structuredOutputKeepsWorking() {
    MOCK.scenario(Scenario.builder().reply("{\"answer\": \"pong\"}").build());

    assertThat(chat.prompt().user("ping").call().entity(Answer.class)).isEqualTo(new Answer("pong"));
  }

  @Test
  void eachCallIsOneObservationInsideSpringAisOwn() {
    MOCK.scenario(Scenario.builder().reply("pong").script("503,200").build());
    OBSERVED.clear();

    ask();

    List<Observation.Context> calls = OBSERVED.stream().filter(c -> c.getName().equals("backoff4j.call")).toList();
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).getHighCardinalityKeyValue("attempts").getValue()).isEqualTo("2");
    assertThat(calls.get(0).getParentObservation()).isNotNull();
    assertThat(calls.get(0).getParentObservation().getContextView().getName()).isEqualTo("gen_ai.client.operation");
  }

  @Test
  void prometheusShowsTheBackoff4jMeters() throws Exception {
    MOCK.scenario(Scenario.builder().reply("pong").script("429,503,200").build());
    ask();

    List<String> lines = get(app, "/actuator/prometheus").lines().filter(line -> line.startsWith("backoff4j")).toList();

    assertThat(lines).anyMatch(line -> line.startsWith("backoff4j_attempts_total{operation=\"chat.completions\",status=\"429\"}"))
        .anyMatch(line -> line.startsWith("backoff4j_attempts_total{operation=\"chat.completions\",status=\"503\"}"))
        .anyMatch(line -> line.startsWith("backoff4j_attempts_total{operation=\"chat.completions\",status=\"200\"}"))
        .anyMatch(line -> line.startsWith(
            "backoff4j_calls_seconds_count{exception=\"none\",operation=\"chat.completions\",outcome=\"success\",reason=\"none\"}"))
        .anyMatch(line -> line.startsWith("backoff4j_waits_seconds_count{source=\"backoff\"}"))
        .anyMatch(line -> line.startsWith("backoff4j_budget_tokens "))
        .anyMatch(line -> line.startsWith("backoff4j_gate_state "))
        .anyMatch(line -> line.startsWith("backoff4j_gate_waiting "))
        .anyMatch(line -> line.startsWith("backoff4j_gate_closings_total "))
        .anyMatch(line -> line.startsWith("backoff4j_gate_probes_total{outcome=\"failure\"}"));
    assertThat(lines).as("the observation's own timer would count each call a second time")
        .noneMatch(line -> line.startsWith("backoff4j_call_") || line.startsWith("backoff4j_call{"));
  }

  @Test
  void theActuatorEndpointShowsThePolicyTheSharedBudgetAndTheGate() throws Exception {
    JsonNode state = new ObjectMapper().readTree(get(app, "/actuator/backoff4j"));

    assertThat(state.at("/retry/maxAttempts").asInt()).isEqualTo(5);
    assertThat(state.at("/retry/initialDelay").asText()).isEqualTo("500ms");
    assertThat(state.at("/retry/deadline").asText()).isEqualTo("30.00s");
    assertThat(state.at("/retry/attemptTimeout").asText()).isEqualTo("5m0s");
    assertThat(state.at("/budget/shared").asBoolean()).isTrue();
    assertThat(state.at("/budget/available").asDouble()).isPositive();
    assertThat(state.at("/budget/successRatio").asDouble()).isEqualTo(0.2);
    assertThat(state.at("/budget/whenExhausted").asText()).isEqualTo("wait");
    assertThat(state.at("/retry/maxRateLimitRetries").asText()).isEqualTo("deadline");
    assertThat(state.at("/gate/enabled").asBoolean()).isTrue();
    // No test here fails 10 attempts in a row (the outage table's call fails 5): the shared gate stays open.
    assertThat(state.at("/gate/state").asText()).isEqualTo("open");
    assertThat(state.at("/gate/waiting").asInt()).isZero();
    assertThat(state.at("/gate/since").asText()).isEqualTo("none");
    assertThat(state.at("/pacer/enabled").asBoolean()).isFalse();
    // Spring AI's models: its 60 s timeout per attempt (backoff4j's attempt-timeout unset).
    assertThat(state.get("clients")).extracting(client -> client.get("name").asText() + " async="
        + client.get("async").asBoolean() + " " + client.get("attemptTimeout").asText())
        .containsExactlyInAnyOrder("spring-ai-chat async=false 1m0s", "spring-ai-chat async=true 1m0s",
            "spring-ai-embedding async=false 1m0s");
  }

  @Test
  void aPacedApplicationShowsTheLimitsItLearnedInTheEndpointAndAsGauges() throws Exception {
    MOCK.scenario(Scenario.builder().reply("pong").rateLimit(600, 100_000).build());
    paced.getBean(ChatClient.Builder.class).build().prompt().user("ping").call().content();

    JsonNode scope = new ObjectMapper().readTree(get(paced, "/actuator/backoff4j")).at("/pacer/scopes/0");
    assertThat(scope.at("/model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(scope.at("/requests/fromHeaders").asBoolean()).isTrue();
    assertThat(scope.at("/requests/limit").asLong()).isEqualTo(600);
    assertThat(scope.at("/tokens/limit").asLong()).isEqualTo(100_000);
    assertThat(scope.at("/requests/queued").asLong()).isZero();
    assertThat(get(paced, "/actuator/prometheus").lines())
        .contains("backoff4j_pacer_limit{kind=\"requests\",model=\"gpt-4o-mini\"} 600.0")
        .contains("backoff4j_pacer_limit{kind=\"tokens\",model=\"gpt-4o-mini\"} 100000.0")
        .anyMatch(line -> line.startsWith("backoff4j_pacer_remaining{kind=\"requests\",model=\"gpt-4o-mini\"}"));
  }

  @Test
  void aStreamIsBridgedAndRetriedBeforeItsFirstEvent() {
    ChatClient client = paced.getBean(ChatClient.Builder.class).build();
    MOCK.scenario(Scenario.builder().reply("pong").script("429,503,200").build());

    List<String> pieces = client.prompt().user("ping").stream().content().collectList().block(Duration.ofSeconds(20));

    assertThat(String.join("", pieces)).isEqualTo("pong");
    assertThat(statuses()).containsExactly(429, 503, 200);
  }

  @Test
  void aStreamsQuotaErrorIsOneAttempt() {
    // The SDK's own retries (3 by default) would send it 4 times: the stream runs on the bridged async client.
    ChatClient client = paced.getBean(ChatClient.Builder.class).build();
    MOCK.scenario(Scenario.builder().script("quota").build());

    OpenAIServiceException e = failure(() -> client.prompt().user("ping").stream().content().collectList()
        .block(Duration.ofSeconds(20)));

    assertThat(e).isInstanceOf(RateLimitException.class);
    assertThat(statuses()).containsExactly(429);
  }

  @Test
  void aBadPropertyStopsTheApplicationNamingIt() {
    assertThatThrownBy(() -> application(App.class).web(WebApplicationType.NONE)
        .properties("backoff4j.openai.max-retries=-1").run())
        .hasStackTraceContaining("backoff4j.openai.max-retries must be at least 0, was -1");
  }
}
