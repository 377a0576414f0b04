package dev.backoff4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

// tag::chat-quickstart[]
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
// end::chat-quickstart[]
// tag::chat-stream[]
import dev.backoff4j.openai.chat.ChatCompletionChunk;
import dev.backoff4j.openai.chat.ChatStream;
import dev.backoff4j.openai.errors.StreamInterruptedException;
// end::chat-stream[]
// tag::responses[]
import dev.backoff4j.openai.responses.ModelResponse;
import dev.backoff4j.openai.responses.ResponseRequest;
import dev.backoff4j.openai.responses.ResponseStream;
import dev.backoff4j.openai.responses.ResponseStreamEvent;
// end::responses[]
// tag::limits[]
import dev.backoff4j.openai.OpenAiClient;
// end::limits[]
// tag::pacer[]
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.pacing.Paced;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerListener;
import dev.backoff4j.openai.pacing.PacerStats;
import dev.backoff4j.openai.pacing.Paused;
// end::pacer[]
// tag::fallbacks[]
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.fallback.Fallbacks;
import dev.backoff4j.openai.fallback.Served;
// end::fallbacks[]
// tag::outage-gate[]
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.gate.GateClosed;
import dev.backoff4j.openai.gate.GateListener;
import dev.backoff4j.openai.gate.GateOpened;
import dev.backoff4j.openai.gate.GateStats;
import dev.backoff4j.openai.gate.OutageGate;
import java.time.Duration;
// end::outage-gate[]
// tag::fail-fast[]
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.gate.WhenClosed;
import dev.backoff4j.time.TimeSource;
// end::fail-fast[]

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.testkit.VirtualTime;
import dev.backoff4j.openai.gate.GateState;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** backoff4j-openai/README.md (the quick start is in the root README too). */
class OpenAiReadmeTest {
  private final List<String> kept = new ArrayList<>();

  @Test
  void chatQuickstart() {
    MockServer mock = Docs.envMock(Scenario.builder().reply("Hi!").build());
    // tag::chat-quickstart[]

    OpenAiClient client = OpenAiClient.builder().build();          // $OPENAI_API_KEY, $OPENAI_BASE_URL
    ChatCompletion reply = client.chat().create(
        ChatRequest.of("gpt-4o-mini", ChatMessage.user("Say hi")));
    System.out.println(reply.text());                             // reply.raw() holds the full JSON
    // end::chat-quickstart[]

    assertThat(reply.text()).isEqualTo("Hi!");
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void streamCutAfterItsFirstEventsKeepsWhatArrived() {
    MockServer mock = Docs.envMock(Scenario.builder().reply("one two three four five six").script("sse-cut:2").build());
    OpenAiClient client = OpenAiClient.builder().build();
    ChatRequest request = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Count"));
    // tag::chat-stream[]

    try (ChatStream stream = client.chat().stream(request)) {
      for (ChatCompletionChunk chunk : stream) {
        System.out.print(chunk.text());
      }
    } catch (StreamInterruptedException e) {
      keep(e.text());                                   // what arrived before the break, once
    }
    // end::chat-stream[]

    assertThat(kept).singleElement().asString().isNotEmpty().isNotEqualTo("one two three four five six");
    assertThat(mock.stats().totalRequests()).as("never retried after the first event").isEqualTo(1);
  }

  @Test
  void responsesCreateAndStream() {
    MockServer mock = Docs.envMock(Scenario.builder().reply("Once upon a time.").script("503,200").build());
    OpenAiClient client = OpenAiClient.builder()
        .retryPolicy(OpenAiRetryPolicy.builder(new VirtualTime()).build()).build();
    StringBuilder printed = new StringBuilder();
    // tag::responses[]

    ResponseRequest request = ResponseRequest.of("gpt-4.1-mini", "Tell me a story in one line.")
        .instructions("Be brief.")
        .maxOutputTokens(200);                      // any other field: .with("reasoning", Map.of(...))
    ModelResponse response = client.responses().create(request);   // also createAsync
    System.out.println(response.outputText());    // usage(), status(), id(), raw() for the whole JSON

    try (ResponseStream stream = client.responses().stream(request)) {   // also streamAsync
      for (ResponseStreamEvent event : stream) {
        System.out.print(event.delta());           // "" for events other than response.output_text.delta
      }
      stream.response().ifPresent(done -> System.out.println(" [" + done.usage().totalTokens() + " tokens]"));
    }
    // end::responses[]
    printed.append(response.outputText());

    assertThat(printed.toString()).isEqualTo("Once upon a time.");
    assertThat(mock.stats().totalRequests()).as("the 503 was retried").isEqualTo(3);
  }

  @Test
  void limits() {
    Docs.envMock(Scenario.defaults());
    // tag::limits[]

    OpenAiClient client = OpenAiClient.builder()
        .maxResponseBytes(64 * 1024 * 1024)   // default 256 MiB: the largest embeddings batch fits
        .maxConnectionsPerHost(256)           // default 64 exchanges in flight per host; the rest wait in line
        .build();
    // end::limits[]

    assertThat(client.chat().create(ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hi"))).text()).isNotEmpty();
  }

  @Test
  void pacer() {
    Docs.envMock(Scenario.defaults());
    // tag::pacer[]

    Pacer pacer = Pacer.builder()
        .requestsPerMinute(500)          // optional seeds (the CLI's --rpm/--tpm); headers replace them
        .tokensPerMinute(200_000)
        .addListener(new PacerListener() {
          @Override public void onPaced(Paced e) { /* "paced for N ms": e.delay() */ }
          @Override public void onPaused(Paused e) { /* a 429 paused the scope for e.pause() */ }
        })
        .build();
    OpenAiClient client = OpenAiClient.builder().pacer(pacer).build();   // share the pacer per API key
    PacerStats stats = pacer.stats();  // reservations, paced, totalWait, longestWait, pauses, per-model limits
    // end::pacer[]

    assertThat(stats.reservations()).isZero();
    client.chat().create(ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hi")));
    assertThat(pacer.stats().reservations()).isEqualTo(1);
  }

  @Test
  void outageGate() {
    Docs.envMock(Scenario.defaults());
    // tag::outage-gate[]

    OpenAiClient client = OpenAiClient.builder()
        .outageGate(OutageGate.settings()            // the defaults, spelled out; OutageGate.disabled(): none
            .failuresToClose(10)                     // transient failures in a row that close it
            .probeInitialDelay(Duration.ofMillis(100))
            .probeMaxDelay(Duration.ofSeconds(1))    // one probe at a time, at most this far apart
            .listener(new GateListener() {
              @Override public void onClosed(GateClosed e) { /* failing since e.failingSince() */ }
              @Override public void onOpened(GateOpened e) { /* was closed e.closedFor(); slow start */ }
            })
            .build())
        .build();
    GateStats stats = client.pipeline().outageGate().orElseThrow().stats();   // state, waiting, since
    // end::outage-gate[]

    assertThat(stats.state()).isEqualTo(GateState.OPEN);
    client.chat().create(ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hi")));
    assertThat(client.pipeline().outageGate().orElseThrow().stats().state()).isEqualTo(GateState.OPEN);
  }

  @Test
  void failingFastIsAChoice() {
    Docs.envMock(Scenario.builder().faultRates("503=1").build());
    // tag::fail-fast[]

    OpenAiClient failFast = OpenAiClient.builder()
        .retryPolicy(OpenAiRetryPolicy.builder(TimeSource.system())
            .onBudgetExhausted(WhenExhausted.FAIL)                    // an empty budget fails the call
            .build())
        .outageGate(OutageGate.settings().whenClosed(WhenClosed.FAIL).build())   // so does a closed gate
        .build();
    // end::fail-fast[]

    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(failFast.chat().createAsync(ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hi"))));
    }
    // Twenty failures at once: the budget's floor pays two retries; the other eighteen calls fail at once.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (refused(calls) < 18 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    long refused = refused(calls);
    calls.forEach(call -> call.cancel(true));
    assertThat(refused).isEqualTo(18);
  }

  private static long refused(List<CompletableFuture<?>> calls) {
    return calls.stream().filter(CompletableFuture::isCompletedExceptionally)
        .map(call -> call.handle((reply, failure) -> failure).join())
        .filter(failure -> RetryHistory.of(failure).map(h -> h.reason() == GiveUpReason.BUDGET_EXHAUSTED).orElse(false))
        .count();
  }

  @Test
  void fallbacksTryTheNextRouteWhenTheFirstGivesUp() {
    try (MockServer failing = MockServer.start(Scenario.builder().faultRates("503=1").build());
        MockServer azure = MockServer.start(Scenario.builder().reply("from azure").build())) {
      VirtualTime time = new VirtualTime();  // the failing routes' backoff, not slept
      OpenAiClient client = OpenAiClient.builder().baseUrl(failing.baseUrl())
          .retryPolicy(OpenAiRetryPolicy.builder(time).build()).build();
      OpenAiClient azureClient = OpenAiClient.builder().baseUrl(azure.baseUrl()).build();
      OpenAiClient localClient = OpenAiClient.builder().baseUrl(failing.baseUrl()).build();
      ChatRequest request = ChatRequest.of("gpt-4o", ChatMessage.user("Hi"));
      // tag::fallbacks[]

      Fallbacks fallbacks = Fallbacks.builder(client)
          .thenModel("gpt-4o-mini")              // the same client, another model
          .then(azureClient)                      // another endpoint, the request's model
          .then(localClient, "llama3.1")          // both
          .build();
      Served<ChatCompletion> reply = fallbacks.chat(request);   // also chatAsync, embeddings
      reply.value(); reply.servedBy();  // Route: index (0 = primary), client, model override
      reply.fellBack(); reply.skipped();  // the failures of the routes tried before
      // end::fallbacks[]

      assertThat(reply.value().text()).isEqualTo("from azure");
      assertThat(reply.servedBy().index()).isEqualTo(2);
      assertThat(reply.fellBack()).isTrue();
      assertThat(reply.skipped()).hasSize(2);
    }
  }

  private void keep(String text) {
    kept.add(text);
  }
}
