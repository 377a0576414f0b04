package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.testkit.VirtualTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChatRunTest {

  @Test
  void runningOutOfMemoryForAReplyIsOneErrorLineAfterOneAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    Transport outOfMemory = new Transport() {
      @Override
      public Response execute(Request request, Optional<Duration> timeout) {
        attempts.incrementAndGet();
        throw new OutOfMemoryError("Java heap space");
      }

      @Override
      public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
        return CompletableFuture.failedFuture(new OutOfMemoryError("Java heap space"));
      }
    };
    OpenAiClient client = OpenAiClient.builder().environment(name -> null).baseUrl("http://127.0.0.1:9/v1")
        .retryPolicy(OpenAiRetryPolicy.builder(new VirtualTime()).build()).transport(outOfMemory).build();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter errWriter = new PrintWriter(err, true);

    int exit = new ChatRun("gpt-4o", null, "hi", false, false, false)
        .run(client, new AttemptPrinter(errWriter, AttemptPrinter.Verbosity.NORMAL), new PrintWriter(out, true), errWriter);

    assertThat(exit).isEqualTo(ExitCodes.UNEXPECTED);
    assertThat(err.toString()).startsWith("error: out of memory while receiving the reply").doesNotContain("\tat ");
    assertThat(attempts).hasValue(1);
  }
}
