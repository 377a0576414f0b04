package dev.backoff4j.openai.sdk;

import static dev.backoff4j.openai.sdk.Clients.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.errors.OpenAIIoException;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.gate.GateState;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.testkit.VirtualTime;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bridged SDK client end to end against the mock. */
class BridgedClientTest {

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  private final VirtualTime time = new VirtualTime(Instant.now());
  private final List<Runnable> closers = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeClients() {
    closers.forEach(Runnable::run);
  }

  private MockServer mock(String script) {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().reply("fine").script(script).build());
    return mock;
  }

  private Backoff4jOpenAI.Builder builder(MockServer mock) {
    return Backoff4jOpenAI.builder().baseUrl(mock.baseUrl()).apiKey(Clients.KEY)
        .retryPolicy(OpenAiRetryPolicy.builder(time).build());
  }

  private OpenAIClient build(Backoff4jOpenAI.Builder builder) {
    OpenAIClient client = builder.build();
    closers.add(client::close);
    return client;
  }

  /** Counts logical requests, as a pacer would. */
  private static final class Counting implements Interceptor {
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

  @Test
  void everyAttemptCarriesTheSdksCredentialsExactlyOnce() {
    MockServer mock = mock("503,200");
    List<List<String>> authorizations = new CopyOnWriteArrayList<>();
    OpenAIClient client = build(builder(mock).transport(okHttp -> okHttp.addInterceptor(chain -> {
      authorizations.add(chain.request().headers("Authorization"));
      return chain.proceed(chain.request());
    })));

    assertThat(Clients.text(client.chat().completions().create(chat("x")))).isEqualTo("fine");
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
    assertThat(authorizations).hasSize(2).allSatisfy(values ->
        assertThat(values).containsExactly("Bearer " + Clients.KEY));
  }

  @Test
  void anInterceptorBeforeTheRetryStepSeesEachLogicalRequestOnce() {
    MockServer mock = mock("503,hint-ms:50,200");
    Counting pacer = new Counting();
    OpenAIClient client = build(builder(mock).addInterceptor(pacer));

    client.chat().completions().create(chat("x"));
    assertThat(pacer.calls).hasValue(1);
    assertThat(mock.stats().totalRequests()).isEqualTo(3);
  }

  @Test
  void aPacerSeesEveryAttemptAndLearnsTheServersLimits() {
    MockServer mock = mock("503,200");
    Pacer pacer = Pacer.builder().timeSource(time).build();
    OpenAIClient client = build(builder(mock).pacer(pacer));

    client.chat().completions().create(chat("x"));

    assertThat(mock.stats().totalRequests()).isEqualTo(2);
    assertThat(pacer.stats().reservations()).isEqualTo(2); // the retry was paced too
    assertThat(pacer.stats().scopes()).anySatisfy(scope -> assertThat(scope.requests().fromHeaders()).isTrue());
  }

  @Test
  void theOutageGateIsTheLeanClientsToo() {
    MockServer mock = mock("503,200");
    OutageGate gate = OutageGate.settings().failuresToClose(1).build().newGate(time);
    OpenAIClient client = build(builder(mock).sharedOutageGate(gate));

    assertThat(Clients.text(client.chat().completions().create(chat("x")))).isEqualTo("fine");
    assertThat(gate.stats().closings()).as("the 503 closed it; the retry waited and went as its probe").isEqualTo(1);
    assertThat(gate.stats().state()).isEqualTo(GateState.OPEN);
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void requestsWithoutBodyAndOtherEndpointsGoThroughTheBridge() {
    MockServer mock = mock("500,200,502,200");
    OpenAIClient client = build(builder(mock));

    assertThat(client.models().list().data()).extracting(Model::id).contains("gpt-4o-mini");
    assertThat(client.embeddings().create(EmbeddingCreateParams.builder().model("text-embedding-3-small")
        .input("hello").build()).data()).hasSize(1);
    assertThat(mock.stats().totalRequests()).isEqualTo(4);
  }

  @Test
  void theAsyncClientRunsTheSamePipeline() throws Exception {
    MockServer mock = mock("503,reset,200");
    Counting pacer = new Counting();
    // Real time with short waits: the async path schedules its retries on the policy's clock.
    OpenAIClientAsync client = Backoff4jOpenAI.builder().baseUrl(mock.baseUrl()).apiKey(Clients.KEY)
        .addInterceptor(pacer)
        .retryPolicy(OpenAiRetryPolicy.builder(TimeSource.system())
            .initialDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(10)).build())
        .buildAsync();
    closers.add(client::close);

    assertThat(Clients.text(client.chat().completions().create(chat("x")).get(10, TimeUnit.SECONDS)))
        .isEqualTo("fine");
    assertThat(mock.stats().totalRequests()).isEqualTo(3);
    assertThat(pacer.calls).hasValue(1);
  }

  @Test
  void theAsyncClientRetriesAStreamCutBeforeItsFirstChunk() throws Exception {
    MockServer mock = mock("sse-cut:0,200");
    OpenAIClientAsync client = Backoff4jOpenAI.builder().baseUrl(mock.baseUrl()).apiKey(Clients.KEY)
        .retryPolicy(OpenAiRetryPolicy.builder(TimeSource.system())
            .initialDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(10)).build())
        .buildAsync();
    closers.add(client::close);
    StringBuffer text = new StringBuffer();

    client.chat().completions().createStreaming(chat("x"))
        .subscribe(chunk -> chunk.choices().forEach(choice -> text.append(choice.delta().content().orElse(""))))
        .onCompleteFuture().get(10, TimeUnit.SECONDS);
    assertThat(text).hasToString("fine");
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void aFinalNetworkFailureIsTheSdksIoExceptionWithTheHistoryInItsCause() {
    MockServer mock = mock("reset,reset,reset");
    OpenAIClient client = build(builder(mock).retryPolicy(OpenAiRetryPolicy.builder(time).maxAttempts(2).build()));

    OpenAIIoException e = catchThrowableOfType(OpenAIIoException.class,
        () -> client.chat().completions().create(chat("x")));
    assertThat(e).hasCauseInstanceOf(OpenAiConnectionException.class);
    assertThat(RetryHistory.of(e)).hasValueSatisfying(history -> assertThat(history.attemptCount()).isEqualTo(2));
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
    assertThat(e.getMessage()).doesNotContain(Clients.KEY);
  }

  @Test
  void aStalledAttemptIsCutOffAtTheAttemptTimeoutAndRetried() {
    MockServer mock = mock("stall,200");
    OpenAIClient client = build(builder(mock).timeout(Duration.ofMillis(300)));

    assertThat(Clients.text(client.chat().completions().create(chat("x")))).isEqualTo("fine");
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
    assertThat(time.sleeps()).hasSize(1);
  }

  @Test
  void aStalledStreamBeforeItsFirstChunkIsRetried() {
    MockServer mock = mock("stall,200");
    OpenAIClient client = build(builder(mock).timeout(Duration.ofMillis(300)));
    StringBuilder text = new StringBuilder();

    Clients.readStream(client.chat().completions().createStreaming(chat("x")), text);
    assertThat(text).hasToString("fine");
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void anAttemptTimeoutAtTheEndIsTheSdksIoException() {
    MockServer mock = mock("stall,stall");
    OpenAIClient client = build(builder(mock).timeout(Duration.ofMillis(200))
        .retryPolicy(OpenAiRetryPolicy.builder(time).maxAttempts(2).build()));

    OpenAIIoException e = catchThrowableOfType(OpenAIIoException.class,
        () -> client.chat().completions().create(chat("x")));
    assertThat(e).hasCauseInstanceOf(OpenAiTimeoutException.class);
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void invalidSettingsFailAtBuildNamingTheSetting() {
    assertThatThrownBy(() -> Backoff4jOpenAI.builder().baseUrl("not a url").apiKey("k").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'baseUrl'");
    assertThatThrownBy(() -> Backoff4jOpenAI.builder().apiKey("sk with space").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'apiKey'")
        .message().doesNotContain("sk with space");
    assertThatThrownBy(() -> Backoff4jOpenAI.builder().apiKey("k").timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'timeout'");
  }

  @Test
  void theBuilderNeverShowsTheKey() {
    Backoff4jOpenAI.Builder builder = Backoff4jOpenAI.builder().baseUrl("http://127.0.0.1:1/v1").apiKey(Clients.KEY);
    assertThat(builder.toString()).contains("apiKey=set").doesNotContain(Clients.KEY);
  }

  @Test
  void theSdksOwnRetriesAreOffWhateverTheCustomizerSays() {
    MockServer mock = mock("500,500,500,500,500,500,500");
    OpenAIClient client = build(builder(mock).clientOptions(options -> options.maxRetries(5))
        .retryPolicy(OpenAiRetryPolicy.builder(time).maxAttempts(2).build()));

    catchThrowableOfType(com.openai.errors.InternalServerException.class,
        () -> client.chat().completions().create(chat("x")));
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }
}
