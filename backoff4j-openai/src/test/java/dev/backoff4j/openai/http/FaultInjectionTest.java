package dev.backoff4j.openai.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatCompletionChunk;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.chat.ChatStream;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.testkit.VirtualTime;
import dev.backoff4j.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Network faults MockWebServer cannot express, on a raw local socket server. */
class FaultInjectionTest {

  private static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"whole answer\"},\"finish_reason\":\"stop\"}]}";
  private static final ChatRequest REQUEST = ChatRequest.of("gpt-4o-mini", ChatMessage.user("hi"));

  private static String chunk(String text) {
    return "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}";
  }

  private FaultServer server;
  private OpenAiClient client;
  private final VirtualTime time = new VirtualTime();

  @BeforeEach
  void start() throws IOException {
    server = new FaultServer();
    client = TestSupport.client(server.baseUrl(), TestSupport.preset(time)).build();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void resetMidBodyIsRetried() {
    server.enqueue(FaultServer.resetMidBody(500, "{\"id\":\"chatcmpl-1\",\"choi"));
    server.enqueue(FaultServer.ok("application/json", COMPLETION));
    assertThat(client.chat().create(REQUEST).text()).isEqualTo("whole answer");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void hangUpWithoutAResponseIsRetried() {
    server.enqueue(FaultServer.hangUp());
    server.enqueue(FaultServer.ok("application/json", COMPLETION));
    assertThat(client.chat().create(REQUEST).text()).isEqualTo("whole answer");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void repeatedResetsEndInAConnectionException() {
    for (int i = 0; i < 5; i++) {
      server.enqueue(FaultServer.resetMidBody(500, "{"));
    }
    catchThrowableOfType(OpenAiConnectionException.class, () -> client.chat().create(REQUEST));
    assertThat(server.requestCount()).isEqualTo(5);
  }

  @Test
  void streamFailingBeforeItsFirstChunkIsRetried() {
    server.enqueue(FaultServer.streamThenReset());
    server.enqueue(FaultServer.stream(chunk("Hel"), chunk("lo")));
    try (ChatStream stream = client.chat().stream(REQUEST)) {
      assertThat(stream.readText()).isEqualTo("Hello");
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void streamCutAfterTwoChunksThrowsInterruptedWithTheTwoChunks() {
    server.enqueue(FaultServer.streamThenReset(chunk("Hel"), chunk("lo")));
    server.enqueue(FaultServer.stream(chunk("never sent twice")));
    List<ChatCompletionChunk> seen = new ArrayList<>();
    StreamInterruptedException e;
    try (ChatStream stream = client.chat().stream(REQUEST)) {
      e = catchThrowableOfType(StreamInterruptedException.class, () -> stream.forEach(seen::add));
      assertThat(stream.chunks()).hasSize(2);
    }
    assertThat(seen).extracting(ChatCompletionChunk::text).containsExactly("Hel", "lo");
    assertThat(e.events()).containsExactly(chunk("Hel"), chunk("lo"));
    assertThat(e.text()).isEqualTo("Hello");
    assertThat(e.getMessage()).startsWith("stream interrupted after 2 events");
    assertThat(server.requestCount()).isEqualTo(1); // not retried: no duplicated text
  }

  /** Real time: the watchdog that cuts a stalled stream runs on the policy's clock. */
  private OpenAiClient realTimeClientWith100msTimeout() {
    return TestSupport.client(server.baseUrl(), TestSupport.preset(time)
            .timeSource(TimeSource.system()).initialDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(1)))
        .timeout(Duration.ofMillis(100)).build();
  }

  @Test
  void streamStallingAfterItsFirstChunkIsCutOffAsInterrupted() {
    server.enqueue(FaultServer.headersThenStall(chunk("partial")));
    try (ChatStream stream = realTimeClientWith100msTimeout().chat().stream(REQUEST)) {
      StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class, stream::readText);
      assertThat(e.text()).isEqualTo("partial");
      assertThat(e.getCause()).isInstanceOf(OpenAiTimeoutException.class);
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void streamStallingBeforeItsFirstChunkTimesOutAndIsRetried() {
    OpenAiClient realTime = realTimeClientWith100msTimeout();
    server.enqueue(FaultServer.headersThenStall());
    server.enqueue(FaultServer.stream(chunk("late but whole")));
    try (ChatStream stream = realTime.chat().stream(REQUEST)) {
      assertThat(stream.readText()).isEqualTo("late but whole");
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void asyncCreateRetriesAResetMidBody() throws Exception {
    server.enqueue(FaultServer.resetMidBody(500, "{\"id\""));
    server.enqueue(FaultServer.ok("application/json", COMPLETION));
    assertThat(TestSupport.await(client.chat().createAsync(REQUEST), time).text()).isEqualTo("whole answer");
    assertThat(server.requestCount()).isEqualTo(2);
  }
}
