package dev.backoff4j.langchain4j;

import static dev.backoff4j.langchain4j.RawSseServer.chatChunk;
import static dev.backoff4j.langchain4j.RawSseServer.chunk;
import static dev.backoff4j.langchain4j.RawSseServer.end;
import static dev.backoff4j.langchain4j.RawSseServer.reset;
import static dev.backoff4j.langchain4j.RawSseServer.streamHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.testkit.VirtualTime;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stream endings written byte by byte by {@link RawSseServer}, which the mock does not make. */
class StreamEndingsTest {

  private final VirtualTime time = new VirtualTime();

  private StreamRecorder stream(RawSseServer server) throws InterruptedException {
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl())
        .apiKey(Models.KEY).modelName("gpt-4o-mini").httpClientBuilder(Models.backoff4j(time)).build();
    StreamRecorder recorder = new StreamRecorder();
    model.chat("hi", recorder);
    return recorder.awaitEnd();
  }

  private static final RawSseServer.Script FULL_STREAM = (socket, out) -> {
    streamHeaders(out);
    chunk(out, "data: " + chatChunk("Hello", null) + "\n\n");
    chunk(out, "data: " + chatChunk(" world", "stop") + "\n\n");
    chunk(out, "data: [DONE]\n\n");
    end(out);
  };

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aBreakBetweenTheFirstDataLineAndTheBlankLineEndingItIsRetried() throws Exception {
    // LangChain4j's parser hands an event on only at its blank line: broken before it, nothing arrived
    RawSseServer.Script brokenInsideTheFirstEvent = (socket, out) -> {
      streamHeaders(out);
      chunk(out, "data: " + chatChunk("Hel", null) + "\n");
      pause(); // the client reads the line first: java.net.http drops unread data when a reset arrives
      reset(socket);
    };
    try (RawSseServer server = new RawSseServer(List.of(brokenInsideTheFirstEvent, FULL_STREAM))) {
      StreamRecorder recorder = stream(server);

      assertThat(recorder.events).containsExactly("partial:Hello", "partial: world", "complete:Hello world");
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void aChatStreamThatEndsCleanlyWithoutDoneOrAFinishReasonIsInterrupted() throws Exception {
    RawSseServer.Script endsEarly = (socket, out) -> {
      streamHeaders(out);
      chunk(out, "data: " + chatChunk("Hel", null) + "\n\n");
      chunk(out, "data: " + chatChunk("lo", null) + "\n\n");
      end(out);
    };
    try (RawSseServer server = new RawSseServer(List.of(endsEarly))) {
      StreamRecorder recorder = stream(server);

      assertThat(recorder.events).containsExactly("partial:Hel", "partial:lo",
          "error:Backoff4jStreamInterruptedException");
      Backoff4jStreamInterruptedException e = (Backoff4jStreamInterruptedException) recorder.error;
      assertThat(e.partialText()).isEqualTo("Hello");
      assertThat(e).hasMessageContaining("before it was complete");
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void aChatStreamThatEndsAfterItsFinishReasonWithoutDoneIsComplete() throws Exception {
    RawSseServer.Script noDone = (socket, out) -> {
      streamHeaders(out);
      chunk(out, "data: " + chatChunk("Hel", null) + "\n\n");
      chunk(out, "data: " + chatChunk("lo", "stop") + "\n\n");
      end(out);
    };
    try (RawSseServer server = new RawSseServer(List.of(noDone))) {
      assertThat(stream(server).events).containsExactly("partial:Hel", "partial:lo", "complete:Hello");
    }
  }

  @Test
  void aStreamOfAnotherFormatIsCompleteWhenItsBodyEnds() throws Exception {
    RawSseServer.Script other = (socket, out) -> {
      streamHeaders(out);
      chunk(out, "event: message_start\ndata: {\"type\":\"message_start\"}\n\n");
      chunk(out, "event: content\ndata: plain text\n\n");
      end(out);
    };
    try (RawSseServer server = new RawSseServer(List.of(other))) {
      HttpClient client = Models.backoff4j(time).build();
      List<String> seen = new CopyOnWriteArrayList<>();
      CountDownLatch ended = new CountDownLatch(1);
      client.execute(HttpRequest.builder().method(HttpMethod.POST).url(server.baseUrl() + "/messages")
          .body("{}").build(), new DefaultServerSentEventParser(), new ServerSentEventListener() {
            @Override
            public void onEvent(ServerSentEvent event) {
              seen.add(event.event() + ":" + event.data());
            }

            @Override
            public void onError(Throwable error) {
              seen.add("error:" + error);
              ended.countDown();
            }

            @Override
            public void onClose() {
              seen.add("close");
              ended.countDown();
            }
          });

      assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seen).containsExactly("message_start:{\"type\":\"message_start\"}", "content:plain text", "close");
    }
  }
}
