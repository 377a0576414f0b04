package dev.backoff4j.openai.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.chat.ChatStream;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.responses.ResponseStream;
import dev.backoff4j.openai.spi.ResponseSizeLimit;
import dev.backoff4j.testkit.VirtualTime;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The limits on a stream once it has started, on virtual time: the test feeds the body as a server
 * would, waits until the reader has taken it, then moves time.
 */
class StreamLimitsTest {

  private static final Duration IDLE = Duration.ofSeconds(2);
  private static final Duration DEADLINE = Duration.ofSeconds(8);

  private final VirtualTime time = new VirtualTime();
  private final FedInputStream body = new FedInputStream();

  private static String chunk(String text) {
    return "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}\n\n";
  }

  private Response response(String path, int limit) {
    Request request = Request.postJson(URI.create("http://127.0.0.1/v1" + path), new byte[0]).withStreaming(true)
        .withTag(ResponseSizeLimit.class, new ResponseSizeLimit(limit));
    return new Response(request, 200, Headers.empty().with("x-request-id", "req_1"), ResponseBody.of(body));
  }

  private StreamWatch watch() {
    return new StreamWatch(time, Optional.of(IDLE)).withDeadline(Optional.of(DEADLINE));
  }

  /** Runs {@code read} on another thread, as a caller blocked in the stream would. */
  private static <T> CompletableFuture<T> reading(java.util.concurrent.Callable<T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(read.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "stream-reader");
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  private static Throwable failureOf(CompletableFuture<?> reading) throws Exception {
    try {
      reading.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the stream ended normally");
  }

  @Test
  void keepAliveCommentsDoNotCountAsProgress() throws Exception {
    ChatStream stream = ChatStream.of(response("/chat/completions", 1 << 20), watch());
    body.feed(chunk("Hello"));
    CompletableFuture<String> reading = reading(stream::readText);
    // A comment every 0.9 s: a timer restarted by each would never fire.
    while (body.awaitReaderWaiting(reading) && time.elapsed().compareTo(Duration.ofSeconds(10)) < 0) {
      time.advance(Duration.ofMillis(900));
      body.feed(": keep-alive\n\n");
    }

    StreamInterruptedException e = (StreamInterruptedException) failureOf(reading);
    assertThat(e.text()).isEqualTo("Hello");
    assertThat(e.getCause()).isInstanceOf(OpenAiTimeoutException.class)
        .hasMessage("stream sent no data for 2.00s");
    assertThat(time.elapsed()).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void dataWithinTheIdleTimeoutKeepsTheStreamAlive() throws Exception {
    ChatStream stream = ChatStream.of(response("/chat/completions", 1 << 20), new StreamWatch(time, Optional.of(IDLE)));
    Iterator<?> chunks = stream.iterator();
    for (int i = 0; i < 5; i++) {
      body.feed(chunk("x"));
      assertThat(chunks.hasNext()).isTrue();
      chunks.next();
      time.advance(Duration.ofMillis(1_900));
    }
    body.feed("data: [DONE]\n\n");
    assertThat(chunks.hasNext()).isFalse();
    assertThat(stream.text()).isEqualTo("xxxxx");
  }

  @Test
  void theCallsDeadlineEndsAStreamThatKeepsSendingData() throws Exception {
    ChatStream stream = ChatStream.of(response("/chat/completions", 1 << 20), watch());
    body.feed(chunk("a"));
    CompletableFuture<String> reading = reading(stream::readText);
    // A chunk every 1 s: never idle for 2 s.
    while (body.awaitReaderWaiting(reading) && time.elapsed().compareTo(Duration.ofSeconds(20)) < 0) {
      time.advance(Duration.ofSeconds(1));
      body.feed(chunk("a"));
    }

    StreamInterruptedException e = (StreamInterruptedException) failureOf(reading);
    assertThat(e.getCause()).isInstanceOf(OpenAiTimeoutException.class)
        .hasMessage("stream still running at the call's deadline (8.00s)");
    assertThat(((OpenAiTimeoutException) e.getCause()).timeout()).isEqualTo(DEADLINE);
    assertThat(e.text()).isEqualTo("a".repeat(8)); // what arrived before the deadline is kept
    assertThat(time.elapsed()).isEqualTo(DEADLINE);
  }

  @Test
  void aStreamPastItsDeadlineEndsAtTheNextRead() {
    ResponseStream stream = ResponseStream.of(response("/responses", 1 << 20), watch());
    body.feed("data: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"delta\":\"Hi\"}\n\n");
    Iterator<?> events = stream.iterator();
    assertThat(events.hasNext()).isTrue();
    events.next();
    time.advance(DEADLINE);
    StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class, events::hasNext);
    assertThat(e.text()).isEqualTo("Hi");
    assertThat(e.getCause()).isInstanceOf(OpenAiTimeoutException.class);
  }

  @Test
  void anEventLargerThanTheLimitIsMalformedAndTheTextSoFarStaysOnTheStream() {
    ChatStream stream = ChatStream.of(response("/chat/completions", 200), watch());
    body.feed(chunk("Hello") + "data: " + "x".repeat(300) + "\n\n");
    MalformedResponseException e = catchThrowableOfType(MalformedResponseException.class, stream::readText);
    assertThat(e.getMessage())
        .isEqualTo("200 malformed response (req_1): stream event larger than 200 bytes (maxResponseBytes); not retried");
    assertThat(stream.text()).isEqualTo("Hello");
  }

  @Test
  void anEndlessLineIsRefusedAtTheLimitNotBufferedWhole() throws Exception {
    ChatStream stream = ChatStream.of(response("/chat/completions", 1_000), watch());
    CompletableFuture<String> reading = reading(stream::readText);
    for (int i = 0; i < 5 && !reading.isDone(); i++) {
      body.feed("x".repeat(400)); // never a line end
      Thread.sleep(5);
    }
    assertThat(failureOf(reading)).isInstanceOf(MalformedResponseException.class);
  }
}
