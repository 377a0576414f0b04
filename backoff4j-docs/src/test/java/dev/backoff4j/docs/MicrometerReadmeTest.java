package dev.backoff4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

// tag::micrometer[]
import com.openai.client.OpenAIClient;
import dev.backoff4j.micrometer.Backoff4jMetrics;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
// end::micrometer[]
// tag::micrometer-gate[]
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.gate.OutageGate;
// end::micrometer-gate[]

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

/** The root README's Micrometer-without-Spring example. */
class MicrometerReadmeTest {

  @Test
  void metricsWithoutSpring() {
    MockServer mock = Docs.envMock(Scenario.builder().reply("Hi!").script("hint-ms:50,200").build());
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    ObservationRegistry observationRegistry = ObservationRegistry.create();
    // tag::micrometer[]

    Backoff4jMetrics metrics = Backoff4jMetrics.builder(meterRegistry)
        .observationRegistry(observationRegistry)   // optional: one observation (span) per call
        .build();
    Pacer pacer = Pacer.builder().addListener(metrics.pacerListener()).build();  // optional: pacer waits
    metrics.bindPacer(pacer);                                                     // learned limits as gauges
    OpenAIClient client = Backoff4jOpenAI.builder()   // $OPENAI_API_KEY, $OPENAI_BASE_URL, ...
        .pacer(pacer)
        .listenerFactory(metrics)                    // calls, attempts, waits; the observation
        .build();
    // end::micrometer[]

    client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage("Say hi").build());
    assertThat(meterRegistry.get("backoff4j.attempts").tag("status", "429").counter().count()).isEqualTo(1);
    assertThat(meterRegistry.get("backoff4j.waits").tag("source", "hint").timer().count()).isEqualTo(1);
    assertThat(meterRegistry.get("backoff4j.calls").tag("outcome", "success").timer().count()).isEqualTo(1);
    assertThat(meterRegistry.get("backoff4j.pacer.limit").tag("kind", "requests").gauge().value()).isPositive();
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void gateMetrics() {
    MockServer mock = Docs.envMock(Scenario.builder().reply("Hi!").script("hint-ms:50,200").build());
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    // tag::micrometer-gate[]

    Backoff4jMetrics metrics = Backoff4jMetrics.builder(meterRegistry).build();
    OpenAiClient client = OpenAiClient.builder()   // $OPENAI_API_KEY, $OPENAI_BASE_URL, ...
        .outageGate(OutageGate.settings().failuresToClose(5).build())
        .listenerFactory(metrics)                 // calls, attempts, waits (at the gate too)
        .build();
    metrics.bindPipeline(client.pipeline());      // its gate, pacer and budget as gauges and counters
    // end::micrometer-gate[]

    client.chat().create(ChatRequest.of("gpt-4o-mini", ChatMessage.user("Say hi")));
    assertThat(meterRegistry.get("backoff4j.gate.state").gauge().value()).isZero();
    assertThat(meterRegistry.get("backoff4j.gate.closings").functionCounter().count()).isZero();
    assertThat(meterRegistry.get("backoff4j.budget.tokens").gauge().value()).isPositive();
    assertThat(meterRegistry.get("backoff4j.waits").tag("source", "hint").timer().count()).isEqualTo(1);
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }
}
