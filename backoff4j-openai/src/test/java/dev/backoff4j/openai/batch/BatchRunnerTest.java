package dev.backoff4j.openai.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.testkit.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A line whose body's model says how the transport below answers it. */
  private static String line(String customId, String answer) {
    return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
        + "\"body\":{\"model\":\"" + answer + "\"}}\n";
  }

  private Path input(String... lines) throws Exception {
    return Files.writeString(dir.resolve("in.jsonl"), String.join("", lines));
  }

  /** Answers each request by the model its body names: a status, or "200" with a completion. */
  private static final class ByModel implements Transport {
    final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
    final Function<Request, String> bodyOf;

    ByModel(Function<Request, String> bodyOf) {
      this.bodyOf = bodyOf;
    }

    @Override
    public Response execute(Request request, Optional<Duration> timeout) {
      String model = new String(request.body(), StandardCharsets.UTF_8).replaceAll(".*\"model\":\"([^\"]*)\".*", "$1");
      sent.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
      int status = model.matches("\\d{3}") ? Integer.parseInt(model) : 200;
      String body = status == 200 ? COMPLETION : bodyOf.apply(request);
      return new Response(request, status, Headers.of(Map.of("content-type", List.of("application/json"))),
          ResponseBody.of(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
      return CompletableFuture.completedFuture(execute(request, timeout));
    }
  }

  private OpenAiClient client(Transport transport, String apiKey) {
    return TestSupport.client("http://api.local/v1", TestSupport.preset(time).maxRetries(0).maxRateLimitRetries(0)).apiKey(apiKey)
        .transport(transport).build();
  }

  private static List<JsonNode> lines(Path output) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String text : Files.readAllLines(output)) {
      lines.add(JSON.readTree(text));
    }
    return lines;
  }

  @Test
  void theApiKeyIsMaskedInEveryLineWhateverTheServerEchoesItIn() throws Exception {
    String azureKey = "0123456789abcdef0123456789abcdef"; // not sk-shaped
    ByModel echo = new ByModel(request -> switch (new String(request.body(), StandardCharsets.UTF_8).replaceAll(".*\"model\":\"([^\"]*)\".*", "$1")) {
      case "401" -> "{\"error\":{\"message\":\"Incorrect API key provided: " + azureKey + "\",\"type\":\"invalid_request_error\","
          + "\"code\":\"" + azureKey + "\",\"param\":\"" + azureKey + "\"}}";
      case "500" -> "upstream rejected key=" + azureKey;
      default -> "{\"error\":{\"message\":\"key " + azureKey + "\",\"type\":\"server_error\"}}";
    });
    Path output = dir.resolve("out.jsonl");

    BatchProgress progress = BatchRunner.builder().client(client(echo, azureKey))
        .input(input(line("a", "401"), line("b", "500"), line("c", "503"), line("d", "ok"))).output(output).build().run();

    assertThat(progress.failed()).isEqualTo(3);
    String written = Files.readString(output);
    assertThat(written).doesNotContain(azureKey).doesNotContain(azureKey.substring(0, 16)).contains("***");
    JsonNode unauthorized = lines(output).stream().filter(l -> l.get("custom_id").asText().equals("a")).findFirst().orElseThrow();
    assertThat(unauthorized.get("error").get("code").asText()).isEqualTo("***");
    assertThat(unauthorized.get("response").get("body").get("error").get("message").asText())
        .isEqualTo("Incorrect API key provided: ***");
  }

  @Test
  void eachErrorLineSaysWhetherItIsRetryable() throws Exception {
    ByModel server = new ByModel(request -> "{\"error\":{\"message\":\"no\",\"type\":\"x\"}}");
    Path output = dir.resolve("out.jsonl");

    BatchRunner.builder().client(client(server, TestSupport.KEY))
        .input(input(line("a", "503"), line("b", "400"), line("c", "429"), line("d", "ok"))).output(output).build().run();

    Map<String, JsonNode> errors = new java.util.HashMap<>();
    lines(output).forEach(l -> errors.put(l.get("custom_id").asText(), l.get("error")));
    assertThat(errors.get("a").get("retryable").asBoolean()).isTrue();
    assertThat(errors.get("b").get("retryable").asBoolean()).isFalse();
    assertThat(errors.get("c").get("retryable").asBoolean()).as("a rate limit").isTrue();
    assertThat(errors.get("d").isNull()).isTrue();
  }

  @Test
  void retryingErrorsResendsOnlyTheRecoverableOnesAndCountsThem() throws Exception {
    ByModel server = new ByModel(request -> "{\"error\":{\"message\":\"no\",\"type\":\"x\"}}");
    Path input = input(line("a", "503"), line("b", "400"), line("c", "ok"));
    Path output = dir.resolve("out.jsonl");
    BatchRunner.builder().client(client(server, TestSupport.KEY)).input(input).output(output).build().run();

    BatchProgress plain = BatchRunner.builder().client(client(server, TestSupport.KEY)).input(input).output(output)
        .build().run();
    assertThat(plain.resent()).isZero();
    assertThat(plain.finishedThisRun()).isZero();

    BatchProgress retried = BatchRunner.builder().client(client(server, TestSupport.KEY)).input(input).output(output)
        .retryErrors(true).build().run();

    assertThat(retried.resent()).isEqualTo(1);
    assertThat(retried.skipped()).isEqualTo(2);
    assertThat(retried.skippedErrors()).isEqualTo(1);
    assertThat(server.sent.get("503")).hasValue(2);
    assertThat(server.sent.get("400")).hasValue(1);
    assertThat(lines(output)).extracting(l -> l.get("custom_id").asText()).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void anOutputThatIsTheInputThroughALinkIsRefusedAndTheInputIsUnchanged() throws Exception {
    Path input = input(line("a", "ok"), line("b", "ok"));
    String before = Files.readString(input);
    Path symlink = Files.createSymbolicLink(dir.resolve("out.jsonl"), input);
    Path hardLink = Files.createLink(dir.resolve("hard.jsonl"), input);
    OpenAiClient client = client(new ByModel(request -> ""), TestSupport.KEY);

    for (Path output : List.of(symlink, hardLink)) {
      BatchRunner runner = BatchRunner.builder().client(client).input(input).output(output).build();
      assertThatThrownBy(runner::run).isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining("'output' must not be the input file");
    }
    assertThat(Files.readString(input)).isEqualTo(before);
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
  void interruptingARunCancelsTheExchangesInFlightWithoutAWarningForEach() throws Exception {
    List<LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          warnings.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      // The preset as users get it, retry log on (TestSupport's is quiet).
      interruptingARunCancelsTheExchangesInFlight(20, OpenAiRetryPolicy.builder(time).budget(null));
    } finally {
      root.removeHandler(capture);
    }
    assertThat(warnings).as("a cancel is the caller's decision, not a warning").isEmpty();
  }

  @Test
  void interruptingARunCancelsTheExchangesInFlight() throws Exception {
    interruptingARunCancelsTheExchangesInFlight(2, TestSupport.preset(time));
  }

  private void interruptingARunCancelsTheExchangesInFlight(int inFlight, RetryPolicyBuilder<Object> policy)
      throws Exception {
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
    OpenAiClient client = TestSupport.client("http://api.local/v1", policy).transport(hanging).build();
    BatchRunner runner = BatchRunner.builder().client(client).input(input(inFlight)).output(dir.resolve("out.jsonl"))
        .concurrency(inFlight).build();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread running = new Thread(() -> {
      try {
        runner.run();
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    running.start();
    List<CompletableFuture<Response>> sent = new ArrayList<>();
    for (int i = 0; i < inFlight; i++) {
      sent.add(exchanges.poll(5, TimeUnit.SECONDS));
    }
    assertThat(sent).as("every request in flight").doesNotContainNull();

    running.interrupt();
    running.join(5_000);

    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    assertThat(sent).allMatch(CompletableFuture::isCancelled);
    assertThat(dir.resolve("out.jsonl")).isEmptyFile();
  }
}
