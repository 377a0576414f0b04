package dev.backoff4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.testkit.VirtualTime;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real {@code OpenAiStreamingChatModel} (which never retries) on backoff4j's client: retried
 * until the first event, a single clean {@code onError} after it, never followed by completion.
 */
class StreamingChatModelTest {

  private static final String REPLY = "one two three four";

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  private final VirtualTime time = new VirtualTime();

  private MockServer mock(String script) {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().reply(REPLY).streamChunks(4).script(script).build());
    return mock;
  }

  private StreamRecorder stream(MockServer mock) throws InterruptedException {
    return stream(Models.streaming(mock, Models.backoff4j(time)));
  }

  private static StreamRecorder stream(OpenAiStreamingChatModel model) throws InterruptedException {
    StreamRecorder recorder = new StreamRecorder();
    model.chat("hi", recorder);
    return recorder.awaitEnd();
  }

  @Test
  void aStreamThatSucceedsCompletesOnce() throws Exception {
    StreamRecorder recorder = stream(mock("200"));

    assertThat(recorder.events).last().isEqualTo("complete:" + REPLY);
    assertThat(recorder.partialText()).isEqualTo(REPLY);
    assertThat(recorder.terminals()).isEqualTo(1);
  }

  @Test
  void aStreamCutBeforeItsFirstEventIsRetriedToTheFullText() throws Exception {
    MockServer mock = mock("sse-cut:0,200");

    StreamRecorder recorder = stream(mock);

    assertThat(recorder.error).isNull();
    assertThat(recorder.events).last().isEqualTo("complete:" + REPLY);
    assertThat(recorder.partialText()).isEqualTo(REPLY); // nothing from the cut attempt leaked in
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void errorStatusesBeforeTheFirstEventAreRetried() throws Exception {
    MockServer mock = mock("429,503,reset,200");

    StreamRecorder recorder = stream(mock);

    assertThat(recorder.events).last().isEqualTo("complete:" + REPLY);
    assertThat(mock.stats().totalRequests()).isEqualTo(4);
    assertThat(time.sleeps()).hasSize(3);
  }

  @Test
  void aStreamCutAfterItsFirstEventIsOneCleanErrorWithThePartialText() throws Exception {
    MockServer mock = mock("sse-cut:2,200");

    StreamRecorder recorder = stream(mock);

    assertThat(recorder.terminals()).as("onError only, no onCompleteResponse: %s", recorder.events).isEqualTo(1);
    assertThat(recorder.events).last().isEqualTo("error:Backoff4jStreamInterruptedException");
    Backoff4jStreamInterruptedException e = (Backoff4jStreamInterruptedException) recorder.error;
    assertThat(e.partialText()).isNotEmpty().isEqualTo(recorder.partialText());
    assertThat(REPLY).startsWith(e.partialText()).isNotEqualTo(e.partialText());
    assertThat(e.events()).isNotEmpty().hasSizeLessThanOrEqualTo(2); // a reset can drop what was not read yet
    assertThat(e.lastFailure().getCause()).isInstanceOf(OpenAiConnectionException.class);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(mock.stats().totalRequests()).as("never retried after an event").isEqualTo(1);
  }

  @Test
  void theAttemptsItTookToOpenTheStreamAreCounted() throws Exception {
    StreamRecorder recorder = stream(mock("503,sse-cut:1"));

    assertThat(((Backoff4jStreamInterruptedException) recorder.error).attempts()).isEqualTo(2);
  }

  @Test
  void anErrorEventAfterTheFirstChunkIsTheServersErrorOnce() throws Exception {
    MockServer mock = mock("sse-error:2,200");

    StreamRecorder recorder = stream(mock);

    assertThat(recorder.terminals()).isEqualTo(1);
    Backoff4jStreamInterruptedException e = (Backoff4jStreamInterruptedException) recorder.error;
    assertThat(e.lastFailure().getCause()).isInstanceOf(OpenAiHttpException.class)
        .hasMessageContaining("server_error");
    assertThat(e.partialText()).isEqualTo(recorder.partialText()).isNotEmpty();
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void insufficientQuotaIsOneRequestAndTheSameExceptionAsABlockingCall() throws Exception {
    MockServer mock = mock("quota,quota,quota");

    StreamRecorder recorder = stream(mock);

    assertThat(recorder.events).containsExactly("error:Backoff4jRateLimitException");
    assertThat(((Backoff4jFailure) recorder.error).isQuotaExceeded()).isTrue();
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void aStreamThatGoesSilentIsCutOffAfterTheReadTimeout() throws Exception {
    // 4 chunks 2 s apart: the second never comes within the 150 ms read timeout
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().reply(REPLY).streamChunks(4).streamGap(Duration.ofSeconds(2)).build());
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(mock.baseUrl())
        .apiKey(Models.KEY).modelName("gpt-4o-mini").timeout(Duration.ofMillis(150))
        .httpClientBuilder(new Backoff4jHttpClientBuilder()).build();

    StreamRecorder recorder = stream(model);

    Backoff4jStreamInterruptedException e = (Backoff4jStreamInterruptedException) recorder.error;
    assertThat(e.lastFailure().getCause()).isInstanceOf(OpenAiTimeoutException.class);
    assertThat(recorder.terminals()).isEqualTo(1);
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void cancellingTheStreamEndsItWithoutAnError() throws Exception {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().reply(REPLY).streamChunks(4).streamGap(Duration.ofMillis(30)).build());
    StreamRecorder recorder = new StreamRecorder() {
      @Override
      public void onPartialResponse(dev.langchain4j.model.chat.response.PartialResponse partial,
          dev.langchain4j.model.chat.response.PartialResponseContext context) {
        super.onPartialResponse(partial.text());
        context.streamingHandle().cancel();
      }
    };

    Models.streaming(mock, Models.backoff4j(time)).chat("hi", recorder);
    Thread.sleep(300); // the stream would have ended by now (4 chunks, 30 ms apart)

    assertThat(recorder.events).containsExactly("partial:one ");
    assertThat(recorder.error).isNull();
  }
}
