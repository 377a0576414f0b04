package dev.backoff4j.openai.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.testkit.VirtualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a batch run uses the client it is given. */
class BatchRunnerTest {

  private static final String COMPLETION = "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]}";

  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime();

  private Path input(int requests) throws Exception {
    Path input = dir.resolve("in.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < requests; i++) {
      lines.append("{\"custom_id\":\"r").append(i)
          .append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\"}}\n");
    }
    return Files.writeString(input, lines);
  }

  @Test
  void aRunSendsOverTheClientsOwnConnectionsInsteadOfANewHttpClient() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      for (int i = 0; i < 2; i++) {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
            .body(COMPLETION).build());
      }
      OpenAiClient client = TestSupport.client(server.url("/v1").toString(), TestSupport.preset(time)).build();
      client.chat().create(ChatRequest.of("m", ChatMessage.user("warm up the pool")));

      BatchProgress progress = BatchRunner.builder().client(client).input(input(1)).output(dir.resolve("out.jsonl"))
          .build().run();

      assertThat(progress.allSucceeded()).isTrue();
      RecordedRequest warmUp = server.takeRequest();
      RecordedRequest batched = server.takeRequest();
      assertThat(batched.getConnectionIndex()).as("same pooled connection").isEqualTo(warmUp.getConnectionIndex());
    }
  }

  @Test
  void interruptingARunCancelsTheExchangesInFlight() throws Exception {
    BlockingQueue<CompletableFuture<Response>> exchanges = new LinkedBlockingQueue<>();
    Transport hanging = new Transport() {
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
    };
    OpenAiClient client = TestSupport.client("http://api.local/v1", TestSupport.preset(time)).transport(hanging).build();
    BatchRunner runner = BatchRunner.builder().client(client).input(input(2)).output(dir.resolve("out.jsonl"))
        .concurrency(2).build();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread running = new Thread(() -> {
      try {
        runner.run();
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    running.start();
    CompletableFuture<Response> first = exchanges.poll(5, TimeUnit.SECONDS);
    CompletableFuture<Response> second = exchanges.poll(5, TimeUnit.SECONDS);
    assertThat(List.of(first, second)).as("both requests in flight").doesNotContainNull();

    running.interrupt();
    running.join(5_000);

    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    assertThat(first).isCancelled();
    assertThat(second).isCancelled();
  }
}
