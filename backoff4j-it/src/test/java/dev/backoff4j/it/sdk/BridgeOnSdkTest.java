package dev.backoff4j.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.testkit.VirtualTime;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge's behaviour on the SDK of this test JVM: run by {@code mvn verify} on the lowest supported
 * SDK (4.41.0, an execution of its own) and on the tested one (4.101.0), both with the bridge compiled
 * against 4.101.0 as it ships. Uses only SDK API that 4.41.0 has.
 */
class BridgeOnSdkTest {

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  private final VirtualTime time = new VirtualTime(Instant.now());
  private final List<AutoCloseable> closers = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closer : closers) {
      closer.close();
    }
  }

  private MockServer mock(String script) {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().reply("fine").script(script).build());
    return mock;
  }

  private OpenAIClient client(MockServer mock) {
    OpenAIClient client = Backoff4jOpenAI.builder().baseUrl(mock.baseUrl()).apiKey("sk-test")
        .retryPolicy(OpenAiRetryPolicy.builder(time).build()).build();
    closers.add(client::close);
    return client;
  }

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("x").build();
  }

  private static String text(ChatCompletion completion) {
    return completion.choices().get(0).message().content().orElse("");
  }

  @Test
  void theClassPathHoldsTheSdkUnderTest() throws ClassNotFoundException {
    SdkUnderTest.assertOnTheClassPath();
    boolean webSockets;
    try {
      Class.forName("com.openai.core.http.WebSocketClient");
      webSockets = true;
    } catch (ClassNotFoundException e) {
      webSockets = false;
    }
    // WebSocketClient appeared in 4.65.0: on the lowest SDK the bridge must link without it.
    assertThat(webSockets).as("WebSocketClient present on %s", SdkUnderTest.CORE)
        .isEqualTo(!SdkUnderTest.CORE.equals(SdkUnderTest.LOWEST));
  }

  @Test
  void aRateLimitThenAnOutageThenSuccessTakeThreeAttempts() {
    MockServer mock = mock("429,503,200");

    assertThat(text(client(mock).chat().completions().create(chat()))).isEqualTo("fine");
    assertThat(mock.stats().totalRequests()).isEqualTo(3);
    assertThat(time.sleeps()).hasSize(2);
  }

  @Test
  void theAsyncClientRetriesTheSameWay() throws Exception {
    MockServer mock = mock("429,503,200");
    OpenAIClientAsync client = Backoff4jOpenAI.builder().baseUrl(mock.baseUrl()).apiKey("sk-test")
        .retryPolicy(OpenAiRetryPolicy.builder(TimeSource.system())
            .initialDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(10)).build())
        .buildAsync();
    closers.add(client::close);

    assertThat(text(client.chat().completions().create(chat()).get(10, TimeUnit.SECONDS))).isEqualTo("fine");
    assertThat(mock.stats().totalRequests()).isEqualTo(3);
  }

  @Test
  void aQuotaErrorIsNotRetried() {
    MockServer mock = mock("quota,200");

    RateLimitException e = catchThrowableOfType(RateLimitException.class,
        () -> client(mock).chat().completions().create(chat()));
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
    assertThat(e.headers().values(Backoff4jOpenAI.ATTEMPTS_HEADER)).containsExactly("1");
    assertThat(e.headers().values(Backoff4jOpenAI.GAVE_UP_HEADER)).containsExactly("NOT_RETRYABLE");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void aStreamCutBeforeItsFirstChunkIsRetriedAndArrivesWhole() {
    MockServer mock = mock("sse-cut:0,200");
    StringBuilder text = new StringBuilder();

    try (StreamResponse<ChatCompletionChunk> stream = client(mock).chat().completions().createStreaming(chat())) {
      stream.stream().forEach(chunk -> chunk.choices()
          .forEach(choice -> text.append(choice.delta().content().orElse(""))));
    }
    assertThat(text).hasToString("fine");
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }
}
