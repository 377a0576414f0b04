package dev.backoff4j.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.errors.ServerErrorException;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Exchange;
import dev.backoff4j.openai.http.Interceptors;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.TokenEstimate;
import dev.backoff4j.retry.AttemptRecord;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.retry.event.Succeeded;
import dev.backoff4j.testkit.VirtualTime;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one assembly: its steps, user forms, listeners, transport sharing and parse-once rules. */
class OpenAiPipelineTest {

  private static final String COMPLETION = "{\"id\":\"c\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}],"
      + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";
  private static final ChatRequest HELLO = ChatRequest.of("gpt-4o-mini", ChatMessage.user("hello"));

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();

  private OpenAiPipelineBuilder pipeline() {
    return OpenAiPipeline.builder().environment(name -> null).baseUrl("http://127.0.0.1:9/v1")
        .apiKey(TestSupport.KEY).retryPolicy(TestSupport.preset(time).build()).transport(transport);
  }

  private Response send(OpenAiPipeline pipeline, Request request, boolean async) {
    if (!async) {
      return pipeline.execute(request);
    }
    try {
      return TestSupport.await(pipeline.executeAsync(request), time);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Request chat(OpenAiPipeline pipeline) {
    return Request.postJson(pipeline.url("/chat/completions"), HELLO.toJson().toString().getBytes());
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aRequestMapperIsWrittenOnceAndRunsOnBothPaths(boolean async) {
    OpenAiPipeline pipeline = pipeline()
        .addInterceptor(Interceptors.mapRequest(request -> request.withHeader("x-team", "search"))).build();
    transport.enqueue(200, Map.of(), COMPLETION);
    send(pipeline, chat(pipeline), async);
    assertThat(transport.sent.get(0).headers().first("x-team")).contains("search");
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void anObserverPerAttemptSeesEveryOutcomeAndCannotChangeIt(boolean async) {
    List<Exchange> seen = new CopyOnWriteArrayList<>();
    OpenAiPipeline pipeline = pipeline().addAttemptInterceptor(Interceptors.observe(exchange -> {
      seen.add(exchange);
      throw new IllegalStateException("a broken observer");
    })).build();
    transport.enqueue(503, Map.of(), "").enqueue(200, Map.of(), COMPLETION);

    Response response = send(pipeline, chat(pipeline), async);

    assertThat(response.status()).isEqualTo(200);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).failure()).containsInstanceOf(ServerErrorException.class);
    assertThat(seen.get(0).response()).isEmpty();
    assertThat(seen.get(1).response().map(Response::status)).contains(200);
  }

  @Test
  void aListenerFactoryMakesOneListenerPerCall() {
    List<List<String>> calls = new CopyOnWriteArrayList<>();
    OpenAiPipeline pipeline = pipeline().listenerFactory(request -> {
      List<String> events = new CopyOnWriteArrayList<>();
      calls.add(events);
      return new CallListener() {
        @Override
        public void onCallStarted(Request started) {
          events.add("start " + started.method());
        }

        @Override
        public void onRetryScheduled(RetryScheduled event) {
          events.add("retry " + event.attempt());
        }

        @Override
        public void onSuccess(Succeeded event) {
          events.add("ok after " + event.attempts());
        }
      };
    }).build();
    transport.enqueue(500, Map.of(), "").enqueue(200, Map.of(), COMPLETION).enqueue(200, Map.of(), COMPLETION);

    send(pipeline, chat(pipeline), false);
    send(pipeline, chat(pipeline), true);

    assertThat(calls).containsExactly(List.of("start POST", "retry 1", "ok after 2"), List.of("start POST", "ok after 1"));
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void everyCallListenerHearsEachAttemptsOutcome(boolean async) {
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    OpenAiPipeline pipeline = pipeline().listener(outcomes(first)).listener(outcomes(second)).build();
    transport.enqueue(503, Map.of(), "").enqueue(200, Map.of(), COMPLETION);

    send(pipeline, chat(pipeline), async);

    assertThat(first).containsExactly("503", "200");
    assertThat(second).isEqualTo(first);
  }

  private static CallListener outcomes(List<String> statuses) {
    return new CallListener() {
      @Override
      public void onAttemptFinished(AttemptRecord attempt) {
        statuses.add(attempt.failure() instanceof ServerErrorException e ? String.valueOf(e.status())
            : String.valueOf(((Response) attempt.result()).status()));
      }
    };
  }

  @Test
  void aListenerRidingOnOneRequestHearsThatCallAlone() {
    AtomicInteger retries = new AtomicInteger();
    CallListener mine = new CallListener() {
      @Override
      public void onRetryScheduled(RetryScheduled event) {
        retries.incrementAndGet();
      }
    };
    OpenAiPipeline pipeline = pipeline().build();
    transport.enqueue(500, Map.of(), "").enqueue(200, Map.of(), COMPLETION)
        .enqueue(500, Map.of(), "").enqueue(200, Map.of(), COMPLETION);

    pipeline.execute(chat(pipeline).withTag(CallListener.class, mine));
    pipeline.execute(chat(pipeline));

    assertThat(retries).hasValue(1);
  }

  @Test
  void aDerivedBuilderKeepsTheTransportUnlessToldOtherwise() {
    OpenAiPipeline first = OpenAiPipeline.builder().environment(name -> null).build();
    assertThat(first.newBuilder().baseUrl("http://127.0.0.1:1/v1").build().transport()).isSameAs(first.transport());
    assertThat(first.newBuilder().connectTimeout(Duration.ofSeconds(1)).build().transport())
        .isNotSameAs(first.transport());
    assertThat(OpenAiClient.builder().environment(name -> null).build().newBuilder().build().pipeline().transport())
        .isNotNull();
    OpenAiClient client = OpenAiClient.builder().environment(name -> null).build();
    assertThat(client.newBuilder().build().pipeline().transport()).isSameAs(client.pipeline().transport());
  }

  @Test
  void aDerivedPipelineHasABudgetOfItsOwn() {
    OpenAiPipeline first = OpenAiPipeline.builder().environment(name -> null).build();
    OpenAiPipeline second = first.newBuilder().build();
    assertThat(second.retryPolicy().budget().orElseThrow()).isNotSameAs(first.retryPolicy().budget().orElseThrow());
  }

  @Test
  void aCallIsPricedOnceHoweverManyAttemptsItTakes() {
    AtomicInteger pricings = new AtomicInteger();
    Pacer pacer = Pacer.builder().timeSource(time).estimator(request -> {
      pricings.incrementAndGet();
      return Optional.of(new TokenEstimate("gpt-4o-mini", 3, 1, 1));
    }).build();
    OpenAiPipeline pipeline = pipeline().pacer(pacer).build();
    transport.enqueue(500, Map.of(), "").enqueue(502, Map.of(), "").enqueue(200, Map.of(), COMPLETION);

    pipeline.execute(chat(pipeline));

    assertThat(transport.sent).hasSize(3);
    assertThat(pricings).hasValue(1);
    assertThat(pacer.stats().reservations()).isEqualTo(3);
  }

  @Test
  void aSuccessBodyIsParsedOnceForThePacerAndTheEndpoint() {
    Pacer pacer = Pacer.builder().timeSource(time).build();
    OpenAiClient client = OpenAiClient.builder().environment(name -> null).baseUrl("http://127.0.0.1:9/v1")
        .retryPolicy(TestSupport.preset(time).build()).transport(transport).pacer(pacer).build();
    transport.enqueue(200, Map.of(), COMPLETION);
    List<Response> responses = new CopyOnWriteArrayList<>();
    OpenAiClient observed = client.newBuilder().addInterceptor(Interceptors.observe(
        exchange -> exchange.response().ifPresent(responses::add))).build();

    observed.chat().create(HELLO);

    Response response = responses.get(0);
    assertThat(response.body().json()).isPresent();
    assertThat(response.body().json().get()).isSameAs(response.body().json().get());
    assertThat(response.rateLimits()).isSameAs(response.rateLimits());
  }

  @Test
  void theEnvironmentIsReadByOneRuleAndBlankValuesCountAsUnset() {
    Map<String, String> env = Map.of("OPENAI_BASE_URL", " http://127.0.0.1:7/v1/ ", "OPENAI_API_KEY", "  ",
        "OPENAI_ORG_ID", "org-1", "OPENAI_PROJECT_ID", "proj-1");
    OpenAiPipeline pipeline = OpenAiPipeline.builder().environment(env::get).build();
    assertThat(pipeline.baseUrl()).isEqualTo("http://127.0.0.1:7/v1");
    assertThat(pipeline.endpoint().apiKey()).isNull();
    assertThat(pipeline.endpoint().organization()).isEqualTo("org-1");
    assertThat(pipeline.endpoint().project()).isEqualTo("proj-1");
  }

  @Test
  void aBlankKeySetExplicitlyIsRefusedByItsSetter() {
    assertThatThrownBy(() -> OpenAiPipeline.builder().apiKey(" "))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("'apiKey'");
  }

  @Test
  void aBadEnvironmentValueIsReportedAsTheVariable() {
    assertThatThrownBy(() -> OpenAiPipeline.builder().environment(Map.of("OPENAI_BASE_URL", "ftp://x")::get).build())
        .isInstanceOf(InvalidSettingException.class)
        .satisfies(e -> assertThat(((InvalidSettingException) e).setting()).isEqualTo("$OPENAI_BASE_URL"));
  }

  @Test
  void signedRequestsCarryTheKeyAndUnsignedOnesLeaveItToTheClientAbove() {
    OpenAiPipeline signed = pipeline().build();
    OpenAiPipeline unsigned = pipeline().signRequests(false).build();
    transport.enqueue(200, Map.of(), COMPLETION).enqueue(200, Map.of(), COMPLETION);
    signed.execute(chat(signed));
    unsigned.execute(chat(unsigned));
    assertThat(transport.sent.get(0).headers().first("authorization")).contains("Bearer " + TestSupport.KEY);
    assertThat(transport.sent.get(1).headers().first("authorization")).isEmpty();
    assertThat(signed.toString()).doesNotContain(TestSupport.KEY).contains("key set");
  }

  @Test
  void aPacerNotMadeByItsBuilderIsRefused() {
    Pacer homemade = () -> null;
    assertThatThrownBy(() -> pipeline().pacer(homemade).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Pacer.builder()");
  }

  @Test
  void urlsGoUnderTheBaseUrlWithAzuresApiVersion() {
    OpenAiPipeline azure = OpenAiPipeline.builder().environment(name -> null)
        .baseUrl("https://x.openai.azure.com/openai/deployments/d").azure("2024-10-21").build();
    assertThat(azure.url("/chat/completions"))
        .isEqualTo(URI.create("https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21"));
  }
}
