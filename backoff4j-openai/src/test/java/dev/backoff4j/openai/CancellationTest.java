package dev.backoff4j.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.chat.ChatStream;
import dev.backoff4j.openai.fallback.Fallbacks;
import dev.backoff4j.openai.fallback.Served;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.testkit.VirtualTime;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cancelling what a caller holds reaches the transport's exchange, through every pipeline step. */
class CancellationTest {

  private static final ChatRequest REQUEST = ChatRequest.of("gpt-4o", ChatMessage.user("Hi"));

  /** Never answers; hands out each exchange's future so a test can see whether it was cancelled. */
  private static class HangingTransport implements Transport {
    final BlockingQueue<CompletableFuture<Response>> exchanges = new LinkedBlockingQueue<>();

    @Override
    public Response execute(Request request, Optional<Duration> timeout) {
      throw new UnsupportedOperationException("asynchronous only");
    }

    @Override
    public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
      CompletableFuture<Response> exchange = new CompletableFuture<>();
      exchanges.add(exchange);
      return exchange;
    }

    CompletableFuture<Response> nextExchange() throws InterruptedException {
      CompletableFuture<Response> exchange = exchanges.poll(5, TimeUnit.SECONDS);
      assertThat(exchange).as("an exchange was started").isNotNull();
      return exchange;
    }
  }

  private final VirtualTime time = new VirtualTime();
  private final HangingTransport transport = new HangingTransport();
  private final OpenAiClient client =
      TestSupport.client("http://api.local/v1", TestSupport.preset(time)).transport(transport).build();

  @Test
  void cancellingAnAsyncCompletionCancelsTheTransportsExchange() throws Exception {
    CompletableFuture<ChatCompletion> call = client.chat().createAsync(REQUEST);
    CompletableFuture<Response> exchange = transport.nextExchange();

    call.cancel(true);

    assertThat(exchange).isCancelled();
  }

  @Test
  void cancellingAnAsyncStreamBeforeItsFirstEventCancelsTheTransportsExchange() throws Exception {
    CompletableFuture<ChatStream> call = client.chat().streamAsync(REQUEST);
    CompletableFuture<Response> exchange = transport.nextExchange();

    call.cancel(true);

    assertThat(exchange).isCancelled();
  }

  @Test
  void cancellingAnAsyncPipelineCallCancelsTheTransportsExchange() throws Exception {
    CompletableFuture<Response> call = client.pipeline().executeAsync(Request.get(client.url("/models")));
    CompletableFuture<Response> exchange = transport.nextExchange();

    call.cancel(true);

    assertThat(exchange).isCancelled();
  }

  @Test
  void cancellingAFallbackCallCancelsTheRouteInFlightAndTriesNoOther() throws Exception {
    HangingTransport backup = new HangingTransport();
    OpenAiClient backupClient =
        TestSupport.client("http://backup.local/v1", TestSupport.preset(time)).transport(backup).build();
    Fallbacks fallbacks = Fallbacks.builder(client).then(backupClient, "gpt-4o-mini").build();

    CompletableFuture<Served<ChatCompletion>> call = fallbacks.chatAsync(REQUEST);
    CompletableFuture<Response> exchange = transport.nextExchange();
    call.cancel(true);

    assertThat(exchange).isCancelled();
    assertThat(backup.exchanges).isEmpty();
  }

  /** A stream whose first event never comes; reading blocks until it is closed. */
  private static final class SilentStream extends InputStream {
    final CountDownLatch reading = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public int read() throws IOException {
      reading.countDown();
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("closed");
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  void cancellingAStreamWhileItsFirstEventIsAwaitedClosesTheStream() throws Exception {
    SilentStream body = new SilentStream();
    Transport silent = new HangingTransport() {
      @Override
      public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
        return CompletableFuture.completedFuture(new Response(request, 200,
            Headers.of(Map.of("content-type", List.of("text/event-stream"))), ResponseBody.of(body)));
      }
    };
    OpenAiClient streaming = client.toBuilder().transport(silent).build();

    CompletableFuture<ChatStream> call = streaming.chat().streamAsync(REQUEST);
    assertThat(body.reading.await(5, TimeUnit.SECONDS)).as("waiting for the first event").isTrue();
    call.cancel(true);

    assertThat(body.closed.await(5, TimeUnit.SECONDS)).as("stream closed").isTrue();
  }
}
