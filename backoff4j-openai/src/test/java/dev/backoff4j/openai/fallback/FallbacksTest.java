package dev.backoff4j.openai.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.embeddings.EmbeddingRequest;
import dev.backoff4j.openai.embeddings.EmbeddingResponse;
import dev.backoff4j.openai.errors.BadRequestException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.errors.RateLimitException;
import dev.backoff4j.openai.errors.ServerErrorException;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.testkit.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which failures move a request to the next route, and how the answer says where it came from. */
class FallbacksTest {

  private static final ChatRequest REQUEST = ChatRequest.of("gpt-4o", ChatMessage.user("Hi"));

  /** Answers every request with one fixed response (or failure); records request bodies. */
  private static final class FixedTransport implements Transport {
    final List<String> bodies = new ArrayList<>();
    final int status;
    final String body;

    FixedTransport(int status, String body) {
      this.status = status;
      this.body = body;
    }

    @Override
    public synchronized Response execute(Request request, Optional<Duration> timeout) {
      bodies.add(new String(request.body(), StandardCharsets.UTF_8));
      if (status == 0) {
        throw new OpenAiConnectionException("connection refused", null);
      }
      return new Response(request, status, Headers.of(Map.of("x-request-id", List.of("req_" + status))),
          ResponseBody.of(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
      try {
        return CompletableFuture.completedFuture(execute(request, timeout));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  private static final String OK = "{\"id\":\"c\",\"model\":\"served\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}],"
      + "\"data\":[{\"index\":0,\"embedding\":[0.1],\"object\":\"embedding\"}]}";

  private static String error(String type, String code) {
    return "{\"error\":{\"type\":\"" + type + "\",\"code\":\"" + code + "\",\"message\":\"m\"}}";
  }

  private final VirtualTime time = new VirtualTime();

  private OpenAiClient client(String host, FixedTransport transport) {
    return TestSupport.client("http://" + host + "/v1", TestSupport.preset(time).maxAttempts(2)
        .maxRateLimitRetries(1)).transport(transport).build();
  }

  @Test
  void anOverloadedPrimaryHandsOverToTheNextRouteAndTheAnswerSaysWhich() {
    FixedTransport primary = new FixedTransport(503, error("server_error", "overloaded"));
    FixedTransport backup = new FixedTransport(200, OK);
    OpenAiClient backupClient = client("backup.local", backup);
    Fallbacks fallbacks = Fallbacks.builder(client("primary.local", primary)).then(backupClient, "gpt-4o-mini").build();

    Served<ChatCompletion> served = fallbacks.chat(REQUEST);

    assertThat(served.value().text()).isEqualTo("ok");
    assertThat(served.fellBack()).isTrue();
    assertThat(served.servedBy().index()).isEqualTo(1);
    assertThat(served.servedBy().client()).isSameAs(backupClient);
    assertThat(served.servedBy()).hasToString("#1 http://backup.local/v1 model gpt-4o-mini");
    assertThat(served.skipped()).singleElement().isInstanceOf(ServerErrorException.class);
    assertThat(primary.bodies).hasSize(2); // the primary's own retries ran first
    assertThat(backup.bodies).singleElement().asString().contains("\"model\":\"gpt-4o-mini\"");
  }

  @Test
  void theRequestsOwnModelIsKeptWhenTheRouteNamesNone() {
    FixedTransport backup = new FixedTransport(200, OK);
    Fallbacks fallbacks = Fallbacks.builder(client("primary.local", new FixedTransport(0, "")))
        .then(client("backup.local", backup)).build();
    Served<ChatCompletion> served = fallbacks.chat(REQUEST);
    assertThat(served.skipped()).singleElement().isInstanceOf(OpenAiConnectionException.class);
    assertThat(backup.bodies).singleElement().asString().contains("\"model\":\"gpt-4o\"");
  }

  @Test
  void anExhaustedQuotaFallsThroughAfterOneAttempt() {
    FixedTransport primary = new FixedTransport(429, error("insufficient_quota", "insufficient_quota"));
    Fallbacks fallbacks = Fallbacks.builder(client("primary.local", primary))
        .then(client("backup.local", new FixedTransport(200, OK))).build();
    Served<ChatCompletion> served = fallbacks.chat(REQUEST);
    assertThat(served.servedBy().index()).isEqualTo(1);
    assertThat(served.skipped()).singleElement().isInstanceOf(QuotaExceededException.class);
    assertThat(primary.bodies).hasSize(1);
  }

  @Test
  void theSameModelOnThePrimaryClientIsARouteToo() {
    FixedTransport transport = new FixedTransport(429, error("requests", "rate_limit_exceeded"));
    OpenAiClient client = client("primary.local", transport);
    Fallbacks fallbacks = Fallbacks.builder(client).thenModel("gpt-4o-mini").build();
    RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> fallbacks.chat(REQUEST));
    assertThat(transport.bodies).hasSize(4);
    assertThat(transport.bodies.subList(2, 4)).allSatisfy(body -> assertThat(body).contains("gpt-4o-mini"));
    assertThat(e.getSuppressed()).anySatisfy(s -> assertThat(s).isInstanceOf(RateLimitException.class));
  }

  @Test
  void clientErrorsNeverFallThrough() {
    for (int status : new int[] {400, 401, 403, 404, 422}) {
      FixedTransport backup = new FixedTransport(200, OK);
      Fallbacks fallbacks = Fallbacks.builder(client("primary.local", new FixedTransport(status, error("invalid_request_error", "bad"))))
          .then(client("backup.local", backup)).build();
      assertThatThrownBy(() -> fallbacks.chat(REQUEST)).hasMessageStartingWith(status + " ");
      assertThat(backup.bodies).as("status %d", status).isEmpty();
    }
  }

  @Test
  void aMalformedAnswerDoesNotFallThrough() {
    FixedTransport backup = new FixedTransport(200, OK);
    Fallbacks fallbacks = Fallbacks.builder(client("primary.local", new FixedTransport(200, "<html>")))
        .then(client("backup.local", backup)).build();
    assertThatThrownBy(() -> fallbacks.chat(REQUEST)).hasMessageContaining("not JSON");
    assertThat(backup.bodies).isEmpty();
  }

  @Test
  void whenEveryRouteFailsTheLastFailureIsThrownWithTheEarlierOnesAttached() {
    Fallbacks fallbacks = Fallbacks.builder(client("primary.local", new FixedTransport(503, error("server_error", "x"))))
        .then(client("backup.local", new FixedTransport(400, error("invalid_request_error", "bad_model")))).build();
    BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> fallbacks.chat(REQUEST));
    assertThat(e.getSuppressed()).anySatisfy(s -> assertThat(s).isInstanceOf(ServerErrorException.class));
  }

  @Test
  void asyncCallsFallThroughTheSameWay() throws Exception {
    Fallbacks fallbacks = Fallbacks.builder(client("primary.local", new FixedTransport(529, error("overloaded_error", "overloaded"))))
        .then(client("backup.local", new FixedTransport(200, OK))).build();
    Served<ChatCompletion> served = TestSupport.await(fallbacks.chatAsync(REQUEST), time);
    assertThat(served.servedBy().index()).isEqualTo(1);
    CompletableFuture<Served<ChatCompletion>> refused = Fallbacks.builder(
            client("primary.local", new FixedTransport(404, error("invalid_request_error", "model_not_found"))))
        .then(client("backup.local", new FixedTransport(200, OK))).build().chatAsync(REQUEST);
    assertThatThrownBy(() -> TestSupport.await(refused, time)).hasMessageStartingWith("404");
  }

  @Test
  void embeddingsFallThroughToo() {
    Fallbacks fallbacks = Fallbacks.builder(client("primary.local", new FixedTransport(500, error("server_error", "x"))))
        .then(client("backup.local", new FixedTransport(200, OK))).build();
    Served<EmbeddingResponse> served = fallbacks.embeddings(EmbeddingRequest.of("text-embedding-3-small", "hi"));
    assertThat(served.servedBy().index()).isEqualTo(1);
  }

  @Test
  void aListWithoutFallbacksIsRefused() {
    assertThatThrownBy(() -> Fallbacks.builder(client("primary.local", new FixedTransport(200, OK))).build())
        .hasMessageContaining("'routes'");
  }
}
