package dev.backoff4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Interceptors;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.testkit.VirtualTime;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real {@code OpenAiChatModel} (LangChain4j 1.19.0, default {@code maxRetries} 2) on backoff4j's
 * client against the mock: the mock counts every request, so an attempt LangChain4j's own loop added
 * would show.
 */
class ChatModelTest {

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  private final VirtualTime time = new VirtualTime();

  private MockServer mock(String script) {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().reply("one two three four").script(script).build());
    return mock;
  }

  private OpenAiChatModel model(MockServer mock) {
    return Models.chat(mock, Models.backoff4j(time));
  }

  @Test
  void a429ThenA503ThenSuccessTakesExactlyThreeAttempts() {
    MockServer mock = mock("429,503,200");

    assertThat(model(mock).chat("hi")).isEqualTo("one two three four");

    assertThat(mock.stats().totalRequests()).isEqualTo(3);
    assertThat(time.sleeps()).hasSize(2); // backoff4j's two waits, on the virtual clock
  }

  @Test
  void insufficientQuotaIsSentOnceAndSurfacesAsNonRetriable() {
    MockServer mock = mock("quota,quota,quota,quota,quota");

    Backoff4jRateLimitException e = catchThrowableOfType(Backoff4jRateLimitException.class,
        () -> model(mock).chat("hi"));

    assertThat(mock.stats().totalRequests()).isEqualTo(1);
    assertThat(e).isInstanceOf(NonRetriableException.class);
    assertThat(e.isQuotaExceeded()).isTrue();
    assertThat(e.statusCode()).hasValue(429);
    assertThat(e.errorCode()).contains("insufficient_quota");
    assertThat(e.errorBody()).hasValueSatisfying(body -> assertThat(body).contains("insufficient_quota"));
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.giveUpReason()).contains(GiveUpReason.NOT_RETRYABLE);
    assertThat(e.getMessage()).startsWith("429 insufficient_quota").contains("gave up after 1 attempt");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void retryAfterIsWaitedAsTheServerAsked() {
    MockServer mock = mock("hint-s:3,200");

    assertThat(model(mock).chat("hi")).isEqualTo("one two three four");

    assertThat(mock.stats().totalRequests()).isEqualTo(2);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void aHintLongerThanThePolicyAcceptsFailsAtOnceWithTheHintReadable() {
    MockServer mock = mock("hint-s:3600,200");

    Backoff4jRateLimitException e = catchThrowableOfType(Backoff4jRateLimitException.class,
        () -> model(mock).chat("hi"));

    assertThat(mock.stats().totalRequests()).isEqualTo(1);
    assertThat(e.giveUpReason()).contains(GiveUpReason.HINT_EXCEEDS_CAP);
    assertThat(e.hint()).hasValueSatisfying(hint -> assertThat(hint.delay()).isEqualTo(Duration.ofHours(1)));
    assertThat(e.history().flatMap(h -> h.rejectedHint())).contains(Duration.ofHours(1));
    assertThat(time.elapsed()).isZero();
  }

  @Test
  void anOutageExhaustsBackoff4jsAttemptsAndLangChain4jAddsNone() {
    MockServer mock = mock("503,503,503,503,503,503,503,503,503,503");

    Backoff4jServerException e = catchThrowableOfType(Backoff4jServerException.class, () -> model(mock).chat("hi"));

    assertThat(e.statusCode()).hasValue(503);
    assertThat(e.attempts()).isEqualTo(OpenAiRetryPolicy.MAX_ATTEMPTS);
    assertThat(e.giveUpReason()).contains(GiveUpReason.RETRIES_EXHAUSTED);
    assertThat(mock.stats().totalRequests()).isEqualTo(OpenAiRetryPolicy.MAX_ATTEMPTS);
  }

  @Test
  void connectionResetsAreRetriedAndAFinalOneIsAConnectionException() {
    MockServer mock = mock("reset,reset,reset,reset,reset,reset");

    Backoff4jConnectionException e = catchThrowableOfType(Backoff4jConnectionException.class,
        () -> model(mock).chat("hi"));

    assertThat(e.lastFailure()).isInstanceOf(OpenAiConnectionException.class);
    assertThat(e.statusCode()).isEmpty();
    assertThat(e.attempts()).isEqualTo(OpenAiRetryPolicy.MAX_ATTEMPTS);
    assertThat(mock.stats().totalRequests()).isEqualTo(OpenAiRetryPolicy.MAX_ATTEMPTS);
  }

  @Test
  void a401IsLangChain4jsAuthenticationExceptionSentOnceWithoutTheKeyInTheMessage() {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().apiKey("sk-the-right-key-0000").build());

    Backoff4jAuthenticationException e = catchThrowableOfType(Backoff4jAuthenticationException.class,
        () -> model(mock).chat("hi"));

    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.statusCode()).hasValue(401);
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
    assertThat(e.getMessage()).doesNotContain(Models.KEY);
    assertThat(e.toString()).doesNotContain(Models.KEY);
  }

  @Test
  void a403IsAnAuthenticationException() {
    assertThat(catchThrowableOfType(AuthenticationException.class, () -> model(mock("403")).chat("hi")))
        .isInstanceOf(Backoff4jAuthenticationException.class);
  }

  @Test
  void a404IsLangChain4jsModelNotFoundException() {
    MockServer mock = mock("404");
    ModelNotFoundException e = catchThrowableOfType(ModelNotFoundException.class, () -> model(mock).chat("hi"));
    assertThat(e).isInstanceOf(Backoff4jModelNotFoundException.class);
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void a400IsLangChain4jsInvalidRequestException() {
    MockServer mock = mock("400");
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> model(mock).chat("hi"));
    assertThat(((Backoff4jFailure) e).statusCode()).hasValue(400);
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void xShouldRetryFalseStopsA503() {
    MockServer mock = mock("noretry:503,200");
    Backoff4jServerException e = catchThrowableOfType(Backoff4jServerException.class, () -> model(mock).chat("hi"));
    assertThat(e.giveUpReason()).contains(GiveUpReason.NOT_RETRYABLE);
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void aMalformed200IsFailedOnceInsteadOfBeingRetriedByLangChain4j() {
    MockServer mock = mock("malformed,malformed,malformed");

    Backoff4jCallException e = catchThrowableOfType(Backoff4jCallException.class, () -> model(mock).chat("hi"));

    assertThat(e.lastFailure()).isInstanceOf(MalformedResponseException.class);
    assertThat(e.giveUpReason()).contains(GiveUpReason.NOT_RETRYABLE);
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void aBodyCutShortIsRetried() {
    MockServer mock = mock("cut,200");
    assertThat(model(mock).chat("hi")).isEqualTo("one two three four");
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void langChain4jsTimeoutLimitsEachAttempt() {
    MockServer mock = mock("stall,200");
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(mock.baseUrl()).apiKey(Models.KEY)
        .modelName("gpt-4o-mini").timeout(Duration.ofMillis(100)).httpClientBuilder(Models.backoff4j(time))
        .build();

    assertThat(model.chat("hi")).isEqualTo("one two three four");
    assertThat(mock.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void eachAttemptCarriesLangChain4jsOwnCredentialsAndUserAgentOnce() {
    MockServer mock = mock("503,200");
    List<Headers> sent = new CopyOnWriteArrayList<>();
    Backoff4jHttpClientBuilder http = Models.backoff4j(time)
        .addAttemptInterceptor(Interceptors.observe(exchange -> sent.add(exchange.request().headers())));

    Models.chat(mock, http).chat("hi");

    assertThat(sent).hasSize(2).allSatisfy(headers -> {
      assertThat(headers.all("authorization")).containsExactly("Bearer " + Models.KEY);
      assertThat(headers.all("user-agent")).containsExactly("langchain4j-openai");
    });
  }

  @Test
  void listenersHearEveryAttempt() {
    MockServer mock = mock("503,200");
    List<String> events = new CopyOnWriteArrayList<>();
    Backoff4jHttpClientBuilder http = Models.backoff4j(time).listener(new dev.backoff4j.openai.http.CallListener() {
      @Override
      public void onAttemptStarted(dev.backoff4j.retry.event.AttemptStarted event) {
        events.add("attempt " + event.attempt());
      }

      @Override
      public void onSuccess(dev.backoff4j.retry.event.Succeeded event) {
        events.add("success");
      }
    });

    Models.chat(mock, http).chat("hi");

    assertThat(events).containsExactly("attempt 1", "attempt 2", "success");
  }
}
