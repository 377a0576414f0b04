package dev.backoff4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

// tag::langchain4j-quickstart[]
import dev.backoff4j.langchain4j.Backoff4jHttpClientBuilder;
import dev.langchain4j.model.openai.OpenAiChatModel;
// end::langchain4j-quickstart[]
// tag::langchain4j-settings[]
import dev.backoff4j.langchain4j.Backoff4jHttpClientBuilder;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.time.TimeSource;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
// end::langchain4j-settings[]
// tag::langchain4j-errors[]
import dev.backoff4j.langchain4j.Backoff4jFailure;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
// end::langchain4j-errors[]
// tag::langchain4j-stream[]
import dev.backoff4j.langchain4j.Backoff4jStreamInterruptedException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
// end::langchain4j-stream[]

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.retry.GiveUpReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** backoff4j-langchain4j/README.md (the quick start is in the root README too). */
class LangChain4jReadmeTest {

  private final List<String> shown = new ArrayList<>();
  private final CompletableFuture<String> kept = new CompletableFuture<>();

  @Test
  void quickstart() {
    MockServer mock = Docs.envMock(Scenario.builder().reply("Hi!").script("hint-ms:50,200").build());
    // tag::langchain4j-quickstart[]

    OpenAiChatModel model = OpenAiChatModel.builder()
        .httpClientBuilder(new Backoff4jHttpClientBuilder())   // backoff4j's OpenAI preset
        .baseUrl(System.getenv("OPENAI_BASE_URL"))            // null: api.openai.com
        .apiKey(System.getenv("OPENAI_API_KEY"))
        .modelName("gpt-4o-mini")
        .build();                                             // maxRetries can stay: nothing is retried twice
    String reply = model.chat("Say hi");
    // end::langchain4j-quickstart[]

    assertThat(reply).isEqualTo("Hi!");
    assertThat(mock.stats().totalRequests()).as("the 429 waited out as the server asked, once").isEqualTo(2);
  }

  @Test
  void settings() {
    MockServer mock = Docs.envMock(Scenario.builder().reply("Hi!").build());
    String baseUrl = System.getenv("OPENAI_BASE_URL");
    String key = System.getenv("OPENAI_API_KEY");
    // tag::langchain4j-settings[]

    Pacer pacer = Pacer.builder().build();                     // one per API key
    Backoff4jHttpClientBuilder http = new Backoff4jHttpClientBuilder()
        .retryPolicy(OpenAiRetryPolicy.builder(TimeSource.system())
            .maxElapsed(Duration.ofMinutes(2))                // each call's deadline, retries and waits included
            .build())
        .pacer(pacer);                                        // shared by every model built from `http`
    OpenAiChatModel chat = OpenAiChatModel.builder().httpClientBuilder(http)
        .baseUrl(baseUrl).apiKey(key).modelName("gpt-4o-mini")
        .timeout(Duration.ofSeconds(60))                      // LangChain4j's: each attempt, and a stream's silences
        .build();
    OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder().httpClientBuilder(http)
        .baseUrl(baseUrl).apiKey(key).modelName("gpt-4o-mini").build();
    OpenAiEmbeddingModel embeddings = OpenAiEmbeddingModel.builder().httpClientBuilder(http)
        .baseUrl(baseUrl).apiKey(key).modelName("text-embedding-3-small").build();
    // end::langchain4j-settings[]

    assertThat(chat.chat("Hi")).isEqualTo("Hi!");
    assertThat(embeddings.embed("Hi").content().dimension()).isPositive();
    assertThat(streaming).isNotNull();
    assertThat(pacer.stats().reservations()).isEqualTo(2);
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void errors() {
    MockServer mock = Docs.envMock(Scenario.builder().script("quota").build());
    OpenAiChatModel model = OpenAiChatModel.builder().httpClientBuilder(new Backoff4jHttpClientBuilder())
        .baseUrl(System.getenv("OPENAI_BASE_URL")).apiKey(System.getenv("OPENAI_API_KEY"))
        .modelName("gpt-4o-mini").build();
    // tag::langchain4j-errors[]

    try {
      model.chat("Say hi");
    } catch (AuthenticationException | ModelNotFoundException | InvalidRequestException e) {
      // 401/403, 404, other 4xx: LangChain4j's own types, as without backoff4j
    } catch (LangChain4jException e) {
      if (e instanceof Backoff4jFailure failure) {            // every final failure is one, never retried again
        show(failure.statusCode() + " " + failure.errorCode().orElse("")   // OptionalInt[429] insufficient_quota
            + ", quota: " + failure.isQuotaExceeded()                       // true
            + ", attempts: " + failure.attempts()                           // 1
            + ", " + failure.giveUpReason().orElseThrow());                 // NOT_RETRYABLE
      }
    }
    // end::langchain4j-errors[]

    assertThat(shown).containsExactly("OptionalInt[429] insufficient_quota, quota: true, attempts: 1, "
        + GiveUpReason.NOT_RETRYABLE);
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void streamCutAfterItsFirstEvents() throws Exception {
    MockServer mock = Docs.envMock(Scenario.builder().reply("one two three four").script("sse-cut:2").build());
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
        .httpClientBuilder(new Backoff4jHttpClientBuilder())
        .baseUrl(System.getenv("OPENAI_BASE_URL")).apiKey(System.getenv("OPENAI_API_KEY"))
        .modelName("gpt-4o-mini").build();
    // tag::langchain4j-stream[]

    model.chat("Count", new StreamingChatResponseHandler() {
      @Override public void onPartialResponse(String text) { System.out.print(text); }
      @Override public void onCompleteResponse(ChatResponse response) { keep(response.aiMessage().text()); }
      @Override public void onError(Throwable error) {           // once, and never followed by onCompleteResponse
        if (error instanceof Backoff4jStreamInterruptedException cut) {
          keep(cut.partialText());                              // what arrived before the break
        }
      }
    });
    // end::langchain4j-stream[]

    assertThat(kept.get(10, TimeUnit.SECONDS)).isNotEmpty().isNotEqualTo("one two three four");
    assertThat(mock.stats().totalRequests()).as("never retried after the first event").isEqualTo(1);
  }

  private void show(String line) {
    shown.add(line);
  }

  private void keep(String text) {
    kept.complete(text);
  }
}
