package dev.backoff4j.openai.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.errors.RateLimitException;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.testkit.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pipeline as another transport (the SDK bridge) or a pacer would use it. */
class PipelineTest {

  private static final String COMPLETION = "{\"id\":\"c\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]}";

  /** A transport that answers from a script and records what reached the wire. */
  private static final class ScriptedTransport implements Transport {
    final List<Request> sent = new ArrayList<>();
    final List<Optional<Duration>> timeouts = new ArrayList<>();
    final List<Response> script = new ArrayList<>();

    void enqueue(int status, Map<String, List<String>> headers, String body) {
      Request placeholder = Request.get(java.net.URI.create("http://placeholder"));
      script.add(new Response(placeholder, status, Headers.of(headers),
          ResponseBody.of(body.getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    public synchronized Response execute(Request request, Optional<Duration> timeout) {
      sent.add(request);
      timeouts.add(timeout);
      Response next = script.remove(0);
      return new Response(request, next.status(), next.headers(), next.body());
    }

    @Override
    public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
      return CompletableFuture.completedFuture(execute(request, timeout));
    }
  }

  /** Counts logical requests, as a pacer placed before the retry step would. */
  private static final class CountingInterceptor implements Interceptor {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Response intercept(Chain chain) {
      calls.incrementAndGet();
      return chain.proceed(chain.request());
    }

    @Override
    public CompletableFuture<Response> interceptAsync(Chain chain) {
      calls.incrementAndGet();
      return chain.proceedAsync(chain.request());
    }
  }

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final CountingInterceptor pacer = new CountingInterceptor();
  private final OpenAiClient client = TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time))
      .transport(transport).addInterceptor(pacer).build();

  @Test
  void anInterceptorAddedToTheBuilderSeesEachLogicalRequestOnce() {
    transport.enqueue(503, Map.of(), "");
    transport.enqueue(429, Map.of("retry-after-ms", List.of("10")), "");
    transport.enqueue(200, Map.of(), COMPLETION);
    assertThat(client.chat().create(ChatRequest.of("m", ChatMessage.user("x"))).text()).isEqualTo("ok");
    assertThat(pacer.calls).hasValue(1);
    assertThat(transport.sent).hasSize(3);
  }

  @Test
  void everyAttemptCarriesCredentialsAndADeadlineBoundTimeout() {
    transport.enqueue(500, Map.of(), "");
    transport.enqueue(200, Map.of(), COMPLETION);
    client.chat().create(ChatRequest.of("m", ChatMessage.user("x")));
    assertThat(transport.sent).allSatisfy(request ->
        assertThat(request.headers().first("authorization")).contains("Bearer " + TestSupport.KEY));
    assertThat(transport.timeouts).allSatisfy(timeout -> assertThat(timeout).contains(Duration.ofMinutes(5)));
    assertThat(transport.sent.get(0).toString()).doesNotContain(TestSupport.KEY);
    assertThat(transport.sent.get(0).headers().toString()).doesNotContain(TestSupport.KEY);
  }

  @Test
  void theAttemptTimeoutShrinksToTheTimeLeftBeforeTheDeadline() {
    OpenAiClient tight = TestSupport.client("http://127.0.0.1:9/v1",
        TestSupport.preset(time).maxElapsed(Duration.ofSeconds(30))).transport(transport).build();
    transport.enqueue(200, Map.of(), COMPLETION);
    tight.chat().create(ChatRequest.of("m", ChatMessage.user("x")));
    assertThat(transport.timeouts.get(0)).contains(Duration.ofSeconds(30));
  }

  @Test
  void aRawPipelineGivesTypedExceptionsWithHistory() {
    transport.enqueue(429, Map.of("x-request-id", List.of("req_raw")), "{\"error\":{\"type\":\"requests\","
        + "\"code\":\"rate_limit_exceeded\",\"message\":\"slow\"}}");
    Pipeline pipeline = Pipeline.of(List.of(
        new RetryInterceptor(TestSupport.preset(time).maxAttempts(1).build()),
        new ResponseCheckInterceptor(time, Runnable::run)), transport);
    RateLimitException e = catchThrowableOfType(RateLimitException.class,
        () -> pipeline.execute(Request.get(java.net.URI.create("http://127.0.0.1:9/v1/models"))));
    assertThat(e.summary()).isEqualTo("429 rate_limit_exceeded (req_raw)");
    assertThat(e.body()).asString(StandardCharsets.UTF_8).contains("slow");
    assertThat(RetryHistory.of(e)).isPresent();
  }

  @Test
  void theStandardChainRunsBeforeRetryOncePerAttemptStepsEveryTimeAndChecksStatuses() {
    transport.enqueue(503, Map.of(), "");
    transport.enqueue(200, Map.of(), COMPLETION);
    CountingInterceptor perAttempt = new CountingInterceptor();
    Pipeline pipeline = Pipeline.retrying(List.of(pacer), TestSupport.preset(time).build(), List.of(perAttempt),
        transport);
    assertThat(pipeline.interceptors()).hasSize(4);
    assertThat(pipeline.interceptors().get(1)).isInstanceOf(RetryInterceptor.class);
    assertThat(pipeline.interceptors().get(3)).isInstanceOf(ResponseCheckInterceptor.class);
    Response response = pipeline.execute(Request.get(java.net.URI.create("http://127.0.0.1:9/v1/models")));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().isBuffered()).isTrue();
    assertThat(pacer.calls).hasValue(1);
    assertThat(perAttempt.calls).hasValue(2);
    assertThat(time.sleeps()).hasSize(1);
  }
}
