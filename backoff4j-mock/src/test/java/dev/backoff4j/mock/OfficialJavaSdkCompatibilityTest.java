package dev.backoff4j.mock;

import com.openai.core.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseError;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextDeltaEvent;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official com.openai:openai-java SDK against the mock: it must parse what the mock sends, for
 * chat completions and the Responses API, JSON and streamed, answers and errors.
 */
class OfficialJavaSdkCompatibilityTest {
  private MockServer server;
  private OpenAIClient client;

  private void start(Scenario scenario) {
    server = MockServer.start(scenario);
    client = OpenAIOkHttpClient.builder()
        .baseUrl(server.baseUrl())
        .apiKey("sk-test")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static ChatCompletionCreateParams chat(String message) {
    return ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini")
        .addUserMessage(message)
        .build();
  }

  @Test
  void chatCompletion() {
    start(Scenario.defaults());

    ChatCompletion completion = client.chat().completions().create(chat("ping from java"));

    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().get(0).message().content()).contains("ping from java");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isPositive());
    assertThat(completion.model()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void streamingChatCompletion() {
    start(Scenario.builder().reply("streamed reply").streamChunks(3).build());

    String content;
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(chat("hi"))) {
      chunks = stream.stream().collect(Collectors.toList());
    }
    content = chunks.stream()
        .flatMap(c -> c.choices().stream())
        .map(choice -> choice.delta().content().orElse(""))
        .collect(Collectors.joining());

    assertThat(content).isEqualTo("streamed reply");
    assertThat(chunks).hasSize(4);
    assertThat(chunks.get(3).choices().get(0).finishReason())
        .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
  }

  private static ResponseCreateParams response(String input) {
    return ResponseCreateParams.builder().model("gpt-4o-mini").input(input).build();
  }

  private static String outputText(Response response) {
    return response.output().stream()
        .flatMap(item -> item.message().stream())
        .flatMap(message -> message.content().stream())
        .flatMap(content -> content.outputText().stream())
        .map(ResponseOutputText::text)
        .collect(Collectors.joining());
  }

  @Test
  void responsesCreate() {
    start(Scenario.defaults());
    OpenAIClient validating = client.withOptions(o -> o.responseValidation(true)); // every required field, typed

    Response response = validating.responses().create(ResponseCreateParams.builder()
        .model("gpt-4o-mini")
        .instructions("Be brief.")
        .maxOutputTokens(64)
        .inputOfResponse(List.of(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
            .role(EasyInputMessage.Role.USER).content("ping from java responses").build())))
        .build());

    assertThat(outputText(response)).isEqualTo("ping from java responses");
    assertThat(response.id()).startsWith("resp_");
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(response.instructions()).isPresent();
    assertThat(response.usage()).hasValueSatisfying(u -> {
      assertThat(u.inputTokens()).isPositive();
      assertThat(u.totalTokens()).isEqualTo(u.inputTokens() + u.outputTokens());
    });
  }

  @Test
  void responsesCreateStreaming() {
    start(Scenario.builder().reply("streamed response").streamChunks(3).build());

    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(response("hi"))) {
      events = stream.stream().collect(Collectors.toList());
    }

    events.forEach(ResponseStreamEvent::validate); // each event has every field its type requires
    String text = events.stream().flatMap(e -> e.outputTextDelta().stream())
        .map(ResponseTextDeltaEvent::delta).collect(Collectors.joining());
    assertThat(text).isEqualTo("streamed response");
    assertThat(events).hasSize(11);
    assertThat(events.get(0).isCreated()).isTrue();
    ResponseStreamEvent last = events.get(events.size() - 1);
    assertThat(last.isCompleted()).isTrue();
    assertThat(outputText(last.asCompleted().response())).isEqualTo("streamed response");
    assertThat(last.asCompleted().sequenceNumber()).isEqualTo(10);
  }

  @Test
  void responsesStreamFailuresArriveAsTypedEvents() {
    start(Scenario.builder().reply("abcdef").streamChunks(3).script("sse-failed:5,sse-error:5,sse-rate-limit:2").build());

    List<ResponseStreamEvent> failed;
    List<ResponseStreamEvent> error;
    List<ResponseStreamEvent> rateLimit;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(response("hi"))) {
      failed = stream.stream().collect(Collectors.toList());
    }
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(response("hi"))) {
      error = stream.stream().collect(Collectors.toList());
    }
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(response("hi"))) {
      rateLimit = stream.stream().collect(Collectors.toList());
    }

    ResponseStreamEvent lastFailed = failed.get(failed.size() - 1).validate();
    assertThat(lastFailed.isFailed()).isTrue();
    Response failedResponse = lastFailed.asFailed().response();
    assertThat(failedResponse.status()).contains(ResponseStatus.FAILED);
    assertThat(failedResponse.error())
        .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(ResponseError.Code.SERVER_ERROR));
    assertThat(outputText(failedResponse)).isEqualTo("ab");
    ResponseStreamEvent lastError = error.get(error.size() - 1).validate();
    assertThat(lastError.isError()).isTrue();
    assertThat(lastError.asError().code()).contains("server_error");
    assertThat(rateLimit).hasSize(3);
    assertThat(rateLimit.get(2).asError().code()).contains("rate_limit_exceeded");
  }

  @Test
  void responsesRateLimitExceptionCarriesTheRateLimitHeaders() {
    start(Scenario.builder().rateLimit(1, 1_000_000).build());
    client.responses().create(response("uses the only request"));

    assertThatThrownBy(() -> client.responses().create(response("one too many")))
        .isInstanceOfSatisfying(RateLimitException.class, e -> {
          assertThat(e.code()).contains("rate_limit_exceeded");
          assertThat(e.headers().values("retry-after-ms")).singleElement()
              .satisfies(ms -> assertThat(Long.parseLong(ms)).isPositive());
          assertThat(e.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
        });
  }

  @Test
  void embeddings() {
    start(Scenario.builder().embeddingDimensions(16).build());

    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small")
        .inputOfArrayOfStrings(List.of("one", "two"))
        .build());

    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(0).embedding()).hasSize(16);
    assertThat(response.usage().promptTokens()).isPositive();
  }

  @Test
  void models() {
    start(Scenario.defaults());

    List<Model> models = client.models().list().data();

    assertThat(models).extracting(Model::id).contains("gpt-4o-mini");
  }

  @Test
  void rateLimitExceptionCarriesTheRateLimitHeaders() {
    start(Scenario.builder().rateLimit(1, 1_000_000).build());
    client.chat().completions().create(chat("uses the only request"));

    assertThatThrownBy(() -> client.chat().completions().create(chat("one too many")))
        .isInstanceOfSatisfying(RateLimitException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.code()).contains("rate_limit_exceeded");
          assertThat(e.headers().values("retry-after-ms")).singleElement()
              .satisfies(ms -> assertThat(Long.parseLong(ms)).isPositive());
          assertThat(e.headers().values("x-ratelimit-limit-requests")).containsExactly("1");
          assertThat(e.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
          assertThat(e.headers().values("x-ratelimit-reset-requests")).singleElement().asString().endsWith("s");
          assertThat(e.headers().values("x-ratelimit-limit-tokens")).isNotEmpty();
          assertThat(e.headers().values("x-request-id")).isNotEmpty();
        });
  }

  @Test
  void sdkRetriesScriptedFaultsUntilSuccess() {
    start(Scenario.builder().script("hint-ms:10,503,200").build());
    List<Duration> sleeps = new CopyOnWriteArrayList<>();
    Sleeper recording = new Sleeper() { // the SDK's own hook: its backoff is recorded, not slept
      @Override
      public void sleep(Duration duration) {
        sleeps.add(duration);
      }

      @Override
      public CompletableFuture<Void> sleepAsync(Duration duration) {
        sleeps.add(duration);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void close() {}
    };
    OpenAIClient retrying = client.withOptions(o -> o.maxRetries(2).sleeper(recording));

    ChatCompletion completion = retrying.chat().completions().create(chat("eventually"));

    assertThat(completion.choices().get(0).message().content()).contains("eventually");
    assertThat(server.stats().requests()).extracting(RequestRecord::status).containsExactly(429, 503, 200);
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isEqualTo(Duration.ofMillis(10)); // the retry-after-ms hint
  }

  @Test
  void serverErrorsSurfaceAsSdkExceptions() {
    start(Scenario.builder().script("500").build());

    assertThatThrownBy(() -> client.chat().completions().create(chat("boom")))
        .isInstanceOf(InternalServerException.class);
  }
}
