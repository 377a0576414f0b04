package dev.backoff4j.openai.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.openai.ScriptedTransport;
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
    transport.enqueue(429, Map.of("retry-after-ms", "10"), "");
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
  void aBarePipelineGivesTypedExceptionsWithHistory() {
    transport.enqueue(429, Map.of("x-request-id", "req_raw"), "{\"error\":{\"type\":\"requests\","
        + "\"code\":\"rate_limit_exceeded\",\"message\":\"slow\"}}");
    OpenAiPipeline pipeline = OpenAiPipeline.builder().environment(name -> null)
        .retryPolicy(TestSupport.preset(time).maxAttempts(1).maxRateLimitRetries(0).build()).transport(transport).build();
    RateLimitException e = catchThrowableOfType(RateLimitException.class,
        () -> pipeline.execute(Request.get(java.net.URI.create("http://127.0.0.1:9/v1/models"))));
    assertThat(e.summary()).isEqualTo("429 rate_limit_exceeded (req_raw)");
    assertThat(e.body()).asString(StandardCharsets.UTF_8).contains("slow");
    assertThat(RetryHistory.of(e)).isPresent();
  }

  @Test
  void stepsBeforeTheRetryRunOnceAttemptStepsEveryTimeAndStatusesAreChecked() {
    transport.enqueue(503, Map.of(), "");
    transport.enqueue(200, Map.of(), COMPLETION);
    CountingInterceptor perAttempt = new CountingInterceptor();
    OpenAiPipeline pipeline = OpenAiPipeline.builder().environment(name -> null)
        .retryPolicy(TestSupport.preset(time).build()).addInterceptor(pacer).addAttemptInterceptor(perAttempt)
        .transport(transport).build();
    Response response = pipeline.execute(Request.get(java.net.URI.create("http://127.0.0.1:9/v1/models")));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().isBuffered()).isTrue();
    assertThat(pacer.calls).hasValue(1);
    assertThat(perAttempt.calls).hasValue(2);
    assertThat(time.sleeps()).hasSize(1);
  }
}
