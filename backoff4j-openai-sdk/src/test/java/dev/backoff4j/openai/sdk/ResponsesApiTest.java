package dev.backoff4j.openai.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.errors.RateLimitException;
import dev.backoff4j.openai.errors.ServerErrorException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.responses.ModelResponse;
import dev.backoff4j.openai.responses.ResponseRequest;
import dev.backoff4j.openai.responses.ResponseStream;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.testkit.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Responses API against the mock, through both front doors: the official SDK's
 * {@code responses()} over the bridge, and the lean client's {@code responses()}, with the mock's
 * scripted statuses and in-band stream failures.
 */
class ResponsesApiTest {

  private static final String REPLY = "one two three four";

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  private final VirtualTime time = new VirtualTime(Instant.now());
  private OpenAIClient sdk;

  @AfterEach
  void close() {
    if (sdk != null) {
      sdk.close();
    }
  }

  private MockServer mock(String script) {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().reply(REPLY).streamChunks(4).script(script).build());
    return mock;
  }

  private RetryPolicyBuilder<Object> policy() {
    return OpenAiRetryPolicy.builder(time).budget(null).initialDelay(Duration.ofMillis(10));
  }

  private OpenAIClient bridged(MockServer mock) {
    sdk = Clients.bridged(mock, policy(), settings -> { });
    return sdk;
  }

  private OpenAiClient lean(MockServer mock) {
    return OpenAiClient.builder().environment(name -> null).baseUrl(mock.baseUrl()).apiKey(Clients.KEY)
        .retryPolicy(policy().build()).build();
  }

  private static ResponseCreateParams params() {
    return ResponseCreateParams.builder().model("gpt-4o-mini").input("hi").build();
  }

  private static String text(Response response) {
    return response.output().stream().flatMap(item -> item.message().stream())
        .flatMap(message -> message.content().stream()).flatMap(content -> content.outputText().stream())
        .map(text -> text.text()).collect(Collectors.joining());
  }

  @Test
  void theBridgeRetriesA429ThenA503OnResponsesCreateInThreeAttempts() {
    MockServer mock = mock("429,503,200");
    Response response = bridged(mock).responses().create(params());

    assertThat(text(response)).isEqualTo(REPLY);
    assertThat(mock.stats().requests()).extracting(RequestRecord::status).containsExactly(429, 503, 200);
  }

  @Test
  void createStreamingWorksThroughTheBridgeAndIsRetriedBeforeItsFirstEvent() {
    MockServer mock = mock("503,200");
    StringBuilder text = new StringBuilder();
    boolean completed;
    try (StreamResponse<ResponseStreamEvent> stream = bridged(mock).responses().createStreaming(params())) {
      completed = stream.stream().peek(event -> event.outputTextDelta().ifPresent(delta -> text.append(delta.delta())))
          .anyMatch(ResponseStreamEvent::isCompleted);
    }
    assertThat(completed).isTrue();
    assertThat(text.toString()).isEqualTo(REPLY);
    assertThat(mock.stats().requests()).extracting(RequestRecord::status).containsExactly(503, 200);
  }

  @Test
  void theLeanClientRetriesA429ThenA503InThreeAttempts() {
    MockServer mock = mock("429,503,200");
    ModelResponse response = lean(mock).responses().create(ResponseRequest.of("gpt-4o-mini", "hi"));
    assertThat(response.outputText()).isEqualTo(REPLY);
    assertThat(response.usage().outputTokens()).isPositive();
    assertThat(mock.stats().requests()).extracting(RequestRecord::status).containsExactly(429, 503, 200);
  }

  @Test
  void anInBandRateLimitBeforeTheFirstDeltaIsRetried() {
    MockServer mock = mock("sse-rate-limit:2,200"); // response.created, response.in_progress, then the error
    try (ResponseStream stream = lean(mock).responses().stream(ResponseRequest.of("gpt-4o-mini", "hi"))) {
      assertThat(stream.readText()).isEqualTo(REPLY);
    }
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void inBandFailuresAfterTheFirstDeltaInterruptTheStreamAsTheErrorsTheyDescribe() {
    // events 0-3 open the stream, 4-7 are the deltas: K=6 fails after two of them
    assertThat(interruption("sse-rate-limit:6").getCause()).isInstanceOf(RateLimitException.class);
    assertThat(interruption("sse-error:6").getCause()).isInstanceOf(ServerErrorException.class);
    StreamInterruptedException failed = interruption("sse-failed:6");
    assertThat(failed.getCause()).isInstanceOf(ServerErrorException.class);
    assertThat(REPLY).startsWith(failed.text());
    assertThat(failed.text()).isNotEmpty();
  }

  private StreamInterruptedException interruption(String script) {
    MockServer mock = mock(script);
    ResponseStream stream = lean(mock).responses().stream(ResponseRequest.of("gpt-4o-mini", "hi"));
    StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class, stream::readText);
    assertThat(mock.stats().totalRequests()).as(script).isEqualTo(1);
    mock.reset();
    return e;
  }
}
