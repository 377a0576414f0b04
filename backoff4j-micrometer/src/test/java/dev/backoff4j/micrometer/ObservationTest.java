package dev.backoff4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.testkit.VirtualTime;
import dev.backoff4j.time.Durations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One observation per logical call, its attempts and retries as events (what tracing turns into span events). */
class ObservationTest {

  private static final ChatRequest HI = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hi"));

  private final VirtualTime time = new VirtualTime();
  private final MockServer mock = MockServer.start(Scenario.builder().reply("pong").build());

  @AfterEach
  void stop() {
    mock.close();
  }

  private OpenAiClient client(Backoff4jMetrics metrics) {
    return OpenAiClient.builder().environment(name -> null).baseUrl(mock.baseUrl()).apiKey("sk-test")
        .retryPolicy(OpenAiRetryPolicy.builder(time).budget(null).jitter(Jitter.NONE).retryLogLevel(Level.OFF).build())
        .listenerFactory(metrics).build();
  }

  /** Records events as a tracing handler would receive them. */
  static final class Events implements ObservationHandler<Observation.Context> {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }

    @Override
    public void onEvent(Observation.Event event, Observation.Context context) {
      seen.add(context.getName() + " " + event.getName() + ": " + event.getContextualName());
    }
  }

  @Test
  void aRetriedCallIsOneObservationWithItsAttemptsAsEvents() {
    mock.scenario(Scenario.builder().reply("pong").script("429,hint-ms:250,200").build());
    TestObservationRegistry observations = TestObservationRegistry.create();
    Events events = new Events();
    observations.observationConfig().observationHandler(events);

    client(Backoff4jMetrics.builder(new SimpleMeterRegistry()).observationRegistry(observations).build())
        .chat().create(HI);

    TestObservationRegistryAssert.assertThat(observations).hasNumberOfObservationsEqualTo(1)
        .hasObservationWithNameEqualTo("backoff4j.call").that()
        .hasBeenStarted().hasBeenStopped().doesNotHaveError()
        .hasContextualNameEqualTo("backoff4j chat.completions")
        .hasLowCardinalityKeyValue("operation", "chat.completions")
        .hasLowCardinalityKeyValue("outcome", "success")
        .hasLowCardinalityKeyValue("reason", "none")
        .hasHighCardinalityKeyValue("attempts", "3");
    assertThat(events.seen).containsExactly(
        "backoff4j.call backoff4j.attempt: attempt 1: 429",
        "backoff4j.call backoff4j.retry: retry in 500ms (backoff)",
        "backoff4j.call backoff4j.attempt: attempt 2: 429",
        "backoff4j.call backoff4j.retry: retry in 750ms (retry-after-ms+backoff)", // the hint + backoff
        "backoff4j.call backoff4j.attempt: attempt 3: 200");
  }

  @Test
  void aWaitAtTheOutageGateIsTwoEventsOfTheCallsObservation() {
    mock.scenario(Scenario.builder().reply("pong").script("503,503,200").build());
    TestObservationRegistry observations = TestObservationRegistry.create();
    Events events = new Events();
    observations.observationConfig().observationHandler(events);
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(new SimpleMeterRegistry()).observationRegistry(observations)
        .build();
    // Closes at the first failure; the first probe comes 2.5 to 5 s later, so the retry after 500 ms waits.
    OpenAiClient client = OpenAiClient.builder().environment(name -> null).baseUrl(mock.baseUrl()).apiKey("sk-test")
        .retryPolicy(OpenAiRetryPolicy.builder(time).budget(null).jitter(Jitter.NONE).retryLogLevel(Level.OFF).build())
        .outageGate(OutageGate.settings().failuresToClose(1).probeInitialDelay(Duration.ofSeconds(5))
            .probeMaxDelay(Duration.ofSeconds(5)).build())
        .listenerFactory(metrics).build();

    client.chat().create(HI);

    assertThat(events.seen).filteredOn(event -> event.contains("backoff4j.gate")).containsExactly(
        "backoff4j.call backoff4j.gate: waiting at the outage gate (closed for 500ms, 1 waiting)",
        "backoff4j.call backoff4j.gate.end: let through after " + Durations.format(time.elapsed().minusMillis(500))
            + " at the outage gate");
  }

  @Test
  void aFailedCallsObservationCarriesTheFailureTheCallerGets() {
    mock.scenario(Scenario.builder().script("quota").build());
    TestObservationRegistry observations = TestObservationRegistry.create();

    assertThatThrownBy(() -> client(Backoff4jMetrics.builder(new SimpleMeterRegistry())
        .observationRegistry(observations).build()).chat().create(HI)).isInstanceOf(QuotaExceededException.class);

    TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
        .hasBeenStopped().assertThatError().isInstanceOf(QuotaExceededException.class);
    TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
        .hasLowCardinalityKeyValue("outcome", "failure")
        .hasLowCardinalityKeyValue("reason", "not_retryable")
        .hasLowCardinalityKeyValue("exception", "QuotaExceededException");
  }

  @Test
  void theCallersCurrentObservationIsTheParent() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    OpenAiClient client = client(Backoff4jMetrics.builder(new SimpleMeterRegistry())
        .observationRegistry(observations).build());

    Observation outer = Observation.start("chat.request", observations);
    try (Observation.Scope scope = outer.openScope()) {
      client.chat().create(HI);
    } finally {
      outer.stop();
    }

    TestObservationRegistryAssert.assertThat(observations).hasObservationWithNameEqualTo("backoff4j.call").that()
        .hasParentObservationEqualTo(outer);
  }

  @Test
  void aConventionRenamesTheObservation() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    CallObservationConvention mine = new CallObservationConvention() {
      @Override
      public String getName() {
        return "openai.call";
      }
    };
    client(Backoff4jMetrics.builder(new SimpleMeterRegistry()).observationRegistry(observations)
        .observationConvention(mine).build()).chat().create(HI);
    TestObservationRegistryAssert.assertThat(observations).hasObservationWithNameEqualTo("openai.call");
  }

  @Test
  void withoutAnObservationRegistryNoObservationIsMade() {
    ObservationRegistry observations = ObservationRegistry.create();
    Events events = new Events();
    observations.observationConfig().observationHandler(events);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    client(Backoff4jMetrics.builder(meters).build()).chat().create(HI);
    assertThat(events.seen).isEmpty();
    assertThat(meters.get(Backoff4jMetrics.CALLS).timer().count()).isEqualTo(1);
  }
}
