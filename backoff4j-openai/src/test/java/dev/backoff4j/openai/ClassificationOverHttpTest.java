package dev.backoff4j.openai;

import static dev.backoff4j.openai.TestSupport.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.errors.AuthenticationException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.errors.RateLimitException;
import dev.backoff4j.openai.errors.ServerErrorException;
import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.testkit.VirtualTime;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per row of the classification table and per hint form, against a real local HTTP server. */
class ClassificationOverHttpTest {

  static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
      + "\"finish_reason\":\"stop\"}]}";
  static final ChatRequest REQUEST = ChatRequest.of("gpt-4o-mini", ChatMessage.user("secret prompt"));

  private final MockWebServer server = new MockWebServer();
  private final VirtualTime time = new VirtualTime();
  private final TestSupport.Retries retries = new TestSupport.Retries();
  private OpenAiClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    client = clientWith(TestSupport.preset(time).listener(retries));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiClient clientWith(dev.backoff4j.retry.RetryPolicyBuilder<Object> policy) {
    return TestSupport.client(server.url("/v1").toString(), policy).build();
  }

  private static MockResponse error(int status, String type, String code, String message, String... headers) {
    MockResponse.Builder builder = new MockResponse.Builder().code(status).addHeader("x-request-id", "req_abc");
    for (int i = 0; i < headers.length; i += 2) {
      builder.addHeader(headers[i], headers[i + 1]);
    }
    if (type != null) {
      builder.addHeader("Content-Type", "application/json").body("{\"error\":{\"message\":\"" + message
          + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}");
    }
    return builder.build();
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(COMPLETION).build();
  }

  private void assertRetriedOnceThenSucceeded() {
    ChatCompletion completion = client.chat().create(REQUEST);
    assertThat(completion.text()).isEqualTo("hi");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(retries.events).hasSize(1);
  }

  // ---- retried ----

  @ParameterizedTest
  @ValueSource(ints = {408, 409, 500, 502, 503, 504, 529})
  void retryableStatusIsRetried(int status) {
    server.enqueue(error(status, "server_error", null, "try later"));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
  }

  @Test
  void rateLimitExceededIsRetried() {
    server.enqueue(error(429, "requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o-mini"));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
  }

  @Test
  void rateLimitWithoutBodyIsRetried() {
    server.enqueue(error(429, null, null, null));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
  }

  @Test
  void connectionRefusedIsRetriedUntilAttemptsRunOut() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    OpenAiClient refused = TestSupport.client("http://127.0.0.1:" + port + "/v1", TestSupport.preset(time)).build();
    OpenAiConnectionException e = catchThrowableOfType(OpenAiConnectionException.class,
        () -> refused.chat().create(REQUEST));
    assertThat(RetryHistory.of(e).orElseThrow().attemptCount()).isEqualTo(OpenAiRetryPolicy.MAX_ATTEMPTS);
  }

  @Test
  void exhaustedRetriesThrowTheLastTypedExceptionWithHistory() {
    for (int i = 0; i < OpenAiRetryPolicy.MAX_ATTEMPTS; i++) {
      server.enqueue(error(503, "server_error", null, "overloaded " + i));
    }
    ServerErrorException e = catchThrowableOfType(ServerErrorException.class, () -> client.chat().create(REQUEST));
    assertThat(e.getMessage()).isEqualTo("503 server_error (req_abc): overloaded 4");
    RetryHistory history = RetryHistory.of(e).orElseThrow();
    assertThat(history.attemptCount()).isEqualTo(5);
    assertThat(history.reason()).isEqualTo(GiveUpReason.RETRIES_EXHAUSTED);
    assertThat(server.getRequestCount()).isEqualTo(5);
  }

  // ---- never retried ----

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 422})
  void clientErrorIsNotRetried(int status) {
    server.enqueue(error(status, "invalid_request_error", null, "no"));
    OpenAiHttpException e = catchThrowableOfType(OpenAiHttpException.class, () -> client.chat().create(REQUEST));
    assertThat(e.status()).isEqualTo(status);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(RetryHistory.of(e).orElseThrow().reason()).isEqualTo(GiveUpReason.NOT_RETRYABLE);
  }

  @Test
  void insufficientQuotaIsNotRetried() {
    server.enqueue(error(429, "insufficient_quota", "insufficient_quota",
        "You exceeded your current quota, please check your plan and billing details.", "retry-after-ms", "20"));
    QuotaExceededException e = catchThrowableOfType(QuotaExceededException.class, () -> client.chat().create(REQUEST));
    assertThat(e).isNotInstanceOf(RateLimitException.class);
    assertThat(e.code()).contains("insufficient_quota");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"credit_balance_exhausted", "organization_spend_limit_exceeded",
      "project_spend_limit_exceeded", "organization_usage_limit_exceeded"})
  void quotaCodesAreNotRetried(String code) {
    server.enqueue(error(429, "invalid_request_error", code, "limit"));
    catchThrowableOfType(QuotaExceededException.class, () -> client.chat().create(REQUEST));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldRetryFalseOnA500IsNotRetried() {
    server.enqueue(error(500, "server_error", null, "fatal", "x-should-retry", "false"));
    catchThrowableOfType(ServerErrorException.class, () -> client.chat().create(REQUEST));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldRetryTrueOnA400IsRetried() {
    server.enqueue(error(400, "invalid_request_error", null, "flaky", "x-should-retry", "true"));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
  }

  @Test
  void unauthorizedIsNotRetriedAndTheKeyIsNotInTheMessage() {
    server.enqueue(error(401, "invalid_request_error", "invalid_api_key",
        "Incorrect API key provided: " + KEY + ". You can find your API key at https://platform.openai.com."));
    AuthenticationException e = catchThrowableOfType(AuthenticationException.class, () -> client.chat().create(REQUEST));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(e.getMessage()).startsWith("401 invalid_api_key (req_abc): Incorrect API key provided:")
        .doesNotContain(KEY).doesNotContain("SECRETSECRET");
    assertThat(e.toString()).doesNotContain("SECRETSECRET");
    assertThat(RetryHistory.of(e).orElseThrow().toString()).doesNotContain("SECRETSECRET");
    assertThat(client.toString()).doesNotContain("SECRETSECRET");
  }

  // ---- hints ----

  @Test
  void retryAfterMsIsWaitedAndLogged() {
    server.enqueue(error(429, "requests", "rate_limit_exceeded", "Rate limit reached", "retry-after-ms", "1030"));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(1030));
    RetryScheduled event = retries.events.get(0);
    assertThat(event.delaySource()).isEqualTo("retry-after-ms");
    assertThat(OpenAiRetryLog.describeRetry(event))
        .isEqualTo("attempt 1 failed: 429 rate_limit_exceeded (req_abc); retrying in 1.03s (retry-after-ms)");
    assertThat(dev.backoff4j.retry.event.LoggingRetryListener.describeRetry(event)).isEqualTo(
        "attempt 1 failed: 429 rate_limit_exceeded (req_abc): Rate limit reached; retrying in 1.03s (retry-after-ms)");
  }

  @Test
  void azureRetryAfterMsIsWaited() {
    server.enqueue(error(429, null, null, null, "x-ms-retry-after-ms", "750"));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(750));
  }

  @Test
  void retryAfterSecondsAreWaited() {
    server.enqueue(error(503, null, null, null, "Retry-After", "2.5"));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(2500));
  }

  @Test
  void retryAfterFutureDateIsWaited() {
    // VirtualTime's wall clock starts at 2026-01-01T00:00:00Z.
    server.enqueue(error(503, null, null, null, "Retry-After", "Thu, 01 Jan 2026 00:00:03 GMT"));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
    assertThat(retries.events.get(0).delaySource()).isEqualTo("retry-after-date");
  }

  @Test
  void retryAfterPastDateRetriesWithBackoffAndNoException() {
    server.enqueue(error(503, null, null, null, "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
    assertThat(retries.events.get(0).delaySource()).isEqualTo(RetryScheduled.BACKOFF);
  }

  @Test
  void garbageRetryAfterFallsBackToBackoff() {
    server.enqueue(error(503, null, null, null, "Retry-After", "whenever", "retry-after-ms", "-3"));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
    assertThat(retries.events.get(0).delaySource()).isEqualTo(RetryScheduled.BACKOFF);
  }

  @Test
  void delayInTheMessageIsTheLastResort() {
    server.enqueue(error(429, "tokens", "rate_limit_exceeded",
        "Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000. Please try again in 1.5s."));
    server.enqueue(ok());
    assertRetriedOnceThenSucceeded();
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(1500));
    assertThat(retries.events.get(0).delaySource()).isEqualTo("message");
  }

  @Test
  void hintPastDeadlineFailsAtOnce() {
    client = clientWith(TestSupport.preset(time).maxElapsed(Duration.ofSeconds(10)).maxServerDelay(Duration.ofHours(2)));
    server.enqueue(error(429, "requests", "rate_limit_exceeded", "slow down", "Retry-After", "3600"));
    RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.chat().create(REQUEST));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(time.sleeps()).isEmpty();
    assertThat(e.hint()).contains(new ServerHint(Duration.ofHours(1), "retry-after"));
    RetryHistory history = RetryHistory.of(e).orElseThrow();
    assertThat(history.reason()).isEqualTo(GiveUpReason.DEADLINE_EXCEEDED);
    assertThat(history.rejectedHint()).contains(Duration.ofHours(1));
  }

  @Test
  void hintAboveTheCapFailsAtOnce() {
    server.enqueue(error(429, "requests", "rate_limit_exceeded", "slow down", "Retry-After", "3600"));
    RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.chat().create(REQUEST));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(RetryHistory.of(e).orElseThrow().reason()).isEqualTo(GiveUpReason.HINT_EXCEEDS_CAP);
    assertThat(RetryHistory.of(e).orElseThrow().rejectedHint()).contains(Duration.ofHours(1));
  }

  @Test
  void rateLimitHeadersTravelWithTheException() {
    server.enqueue(new MockResponse.Builder().code(429)
        .addHeader("x-ratelimit-limit-requests", "500").addHeader("x-ratelimit-remaining-requests", "0")
        .addHeader("x-ratelimit-reset-requests", "6m0s").build());
    client = clientWith(TestSupport.preset(time).maxRateLimitRetries(0));
    RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.chat().create(REQUEST));
    assertThat(e.rateLimits().remainingRequests()).hasValue(0);
    assertThat(e.rateLimits().resetRequests()).contains(Duration.ofMinutes(6));
  }

  // ---- budget, timeouts, async ----

  @Test
  void retryBudgetIsOnByDefault() {
    assertThat(OpenAiClient.builder().environment(n -> null).build().retryPolicy().budget()).isPresent();
  }

  @Test
  void thePresetWaitsForAnEmptyBudgetInsteadOfFailing() {
    assertThat(OpenAiRetryPolicy.defaults().onBudgetExhausted()).isEqualTo(dev.backoff4j.budget.WhenExhausted.WAIT);
    client = clientWith(TestSupport.preset(time).initialDelay(Duration.ZERO).maxDelay(Duration.ZERO)
        .budget(dev.backoff4j.budget.RetryBudget.settings().ratio(0).minRetriesPerSecond(1).build()));
    server.enqueue(error(503, null, null, null));
    server.enqueue(error(503, null, null, null));
    server.enqueue(ok());
    assertThat(client.chat().create(REQUEST).text()).isEqualTo("hi");
    // The floor paid the first retry at once; the second waited in line for its refill, a second.
    assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(1));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void emptyBudgetStopsRetriesWhenFailingFastIsChosen() {
    client = clientWith(TestSupport.preset(time).onBudgetExhausted(dev.backoff4j.budget.WhenExhausted.FAIL)
        .budget(dev.backoff4j.budget.RetryBudget.settings().ratio(0).minRetriesPerSecond(0).build()));
    server.enqueue(error(503, null, null, null));
    ServerErrorException e = catchThrowableOfType(ServerErrorException.class, () -> client.chat().create(REQUEST));
    assertThat(RetryHistory.of(e).orElseThrow().reason()).isEqualTo(GiveUpReason.BUDGET_EXHAUSTED);
    assertThat(e.getMessage())
        .isEqualTo("503 (req_abc) [not retried: gave up after 1 attempt in 0ms (retry budget exhausted), waited 0ms]");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void attemptTimeoutIsRetried() {
    client = TestSupport.client(server.url("/v1").toString(), TestSupport.preset(time))
        .timeout(Duration.ofMillis(100)).build();
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, java.util.concurrent.TimeUnit.SECONDS)
        .body(COMPLETION).build());
    server.enqueue(ok());
    assertThat(client.chat().create(REQUEST).text()).isEqualTo("hi");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void asyncCallsRetryToo() throws Exception {
    server.enqueue(error(503, null, null, null, "retry-after-ms", "300"));
    server.enqueue(error(429, "requests", "rate_limit_exceeded", "wait"));
    server.enqueue(ok());
    ChatCompletion completion = TestSupport.await(client.chat().createAsync(REQUEST), time);
    assertThat(completion.text()).isEqualTo("hi");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(retries.events).extracting(RetryScheduled::delaySource).containsExactly("retry-after-ms", "backoff");
  }

  @Test
  void asyncFailuresAreTypedWithHistory() {
    server.enqueue(error(401, "invalid_request_error", "invalid_api_key", "no"));
    AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
        () -> TestSupport.await(client.chat().createAsync(REQUEST), time));
    assertThat(RetryHistory.of(e)).isPresent();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void promptsAreNotInRetryLogs() {
    server.enqueue(error(500, "server_error", null, "oops"));
    server.enqueue(ok());
    client.chat().create(REQUEST);
    assertThat(List.of(retries.events.get(0).toString(), OpenAiRetryLog.describeRetry(retries.events.get(0))))
        .allSatisfy(line -> assertThat(line).doesNotContain("secret prompt").doesNotContain("SECRETSECRET"));
  }
}
