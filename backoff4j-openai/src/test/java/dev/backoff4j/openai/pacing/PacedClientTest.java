package dev.backoff4j.openai.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.ScriptedTransport;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.pacing.internal.DefaultPacer;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.testkit.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import dev.backoff4j.openai.responses.ResponseRequest;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** The pacer installed in a client: every attempt paced, every response teaching it. */
class PacedClientTest {

  private static final String COMPLETION = "{\"id\":\"c\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}],"
      + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":30,\"total_tokens\":39}}";
  private static final String RATE_LIMITED = "{\"error\":{\"type\":\"requests\",\"code\":\"rate_limit_exceeded\","
      + "\"message\":\"Rate limit reached\"}}";
  private static final String QUOTA = "{\"error\":{\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\","
      + "\"message\":\"You exceeded your current quota\"}}";
  private static final ChatRequest HELLO = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hello world"));

  private static Map<String, String> limits(int limitRequests, int remainingRequests, String reset) {
    return Map.of("x-ratelimit-limit-requests", String.valueOf(limitRequests),
        "x-ratelimit-remaining-requests", String.valueOf(remainingRequests),
        "x-ratelimit-reset-requests", reset);
  }

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();

  private OpenAiClient client(Pacer pacer) {
    return TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time)).transport(transport).pacer(pacer)
        .build();
  }

  @Test
  void everyAttemptIsPacedAndA429TeachesThePacerAndPausesTheClient() {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).build();
    Map<String, String> limited = new LinkedHashMap<>(limits(10, 0, "10s")); // one request a second
    limited.put("retry-after-ms", "300");
    transport.enqueue(429, limited, RATE_LIMITED);
    transport.enqueue(200, limits(10, 9, "1s"), COMPLETION);

    assertThat(client(pacer).chat().create(HELLO).text()).isEqualTo("ok");

    // The retry waited the hint; the pacer then held the retry until a whole request had refilled.
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(300), Duration.ofMillis(700));
    PacerStats stats = pacer.stats();
    assertThat(stats.reservations()).isEqualTo(2);
    assertThat(stats.pauses()).isEqualTo(1);
    assertThat(stats.scopes()).singleElement().satisfies(scope -> {
      assertThat(scope.model()).isEqualTo("gpt-4o-mini");
      assertThat(scope.requests().fromHeaders()).isTrue();
      assertThat(scope.requests().capacity()).isEqualTo(10);
      assertThat(scope.requests().perMinute()).isCloseTo(60, org.assertj.core.data.Offset.offset(0.01));
    });
  }

  @Test
  void usageFromResponsesTeachesTheCompletionSize() {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).assumedCompletionTokens(1_000).build();
    OpenAiClient client = client(pacer);
    for (int i = 0; i < 20; i++) {
      transport.enqueue(200, Map.of(), COMPLETION);
      client.chat().create(HELLO);
    }
    assertThat(pacer.stats().scopes().get(0).assumedCompletionTokens()).isBetween(30L, 45L);
  }

  @Test
  void responsesUsageTeachesTheCompletionSize() {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).assumedCompletionTokens(1_000).build();
    OpenAiClient client = client(pacer);
    String response = "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"output\":[],"
        + "\"usage\":{\"input_tokens\":9,\"output_tokens\":30,\"total_tokens\":39}}";
    for (int i = 0; i < 20; i++) {
      transport.enqueue(200, Map.of(), response);
      client.responses().create(ResponseRequest.of("gpt-4o-mini", "Hello world"));
    }
    assertThat(pacer.stats().scopes().get(0).assumedCompletionTokens()).isBetween(30L, 45L);
  }

  @Test
  void anExhaustedQuotaNeitherRetriesNorPausesTheClient() {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).build();
    transport.enqueue(429, Map.of("retry-after-ms", "300"), QUOTA);
    QuotaExceededException e = catchThrowableOfType(QuotaExceededException.class,
        () -> client(pacer).chat().create(HELLO));
    assertThat(RetryHistory.of(e).orElseThrow().attemptCount()).isEqualTo(1);
    assertThat(pacer.stats().pauses()).isZero();
    assertThat(transport.sent).hasSize(1);
  }

  @Test
  void aWaitPastTheDeadlineFailsWithoutSending() {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).requestsPerMinute(1).build();
    OpenAiClient client = TestSupport.client("http://127.0.0.1:9/v1",
        TestSupport.preset(time).maxAttempts(1).maxElapsed(Duration.ofSeconds(10))).transport(transport).pacer(pacer)
        .build();
    transport.enqueue(200, Map.of(), COMPLETION);
    client.chat().create(HELLO);

    PacingTimeoutException e = catchThrowableOfType(PacingTimeoutException.class, () -> client.chat().create(HELLO));
    assertThat(e.pacingWait()).isEqualTo(Duration.ofMinutes(1));
    assertThat(e.getMessage()).isEqualTo("pacing would hold the request 1m0s, the call has 10.00s left before its deadline");
    assertThat(transport.sent).hasSize(1);
    // Its capacity was given back: the next request waits one refill, not two.
    assertThat(((DefaultPacer) pacer).reserve(new TokenEstimate("gpt-4o-mini", 1, 1, 1)).waitTime()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aWaitLongerThanTheAttemptTimeoutButWithinTheDeadlineIsWaitedOut() {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).requestsPerMinute(1).build();
    OpenAiClient client = TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time).maxAttempts(1))
        .transport(transport).timeout(Duration.ofSeconds(10)).pacer(pacer).build();
    transport.enqueue(200, Map.of(), COMPLETION);
    transport.enqueue(200, Map.of(), COMPLETION);
    client.chat().create(HELLO);

    client.chat().create(HELLO); // held a minute by the pacer, though an attempt may take only 10 s

    assertThat(time.sleeps()).containsExactly(Duration.ofMinutes(1));
    assertThat(transport.sent).hasSize(2);
  }

  @Test
  void asyncCallsWaitOnTheSchedulerWithoutSleeping() throws Exception {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).requestsPerMinute(60).build();
    OpenAiClient client = client(pacer);
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 62; i++) {
      transport.enqueue(200, Map.of(), COMPLETION);
    }
    for (int i = 0; i < 62; i++) {
      calls.add(client.chat().createAsync(HELLO));
    }
    CompletableFuture.allOf(calls.subList(0, 60).toArray(CompletableFuture[]::new)).get();
    assertThat(calls.get(60)).isNotDone();
    TestSupport.await(calls.get(61), time);
    assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(transport.sent).hasSize(62);
    assertThat(time.sleeps()).isEmpty();
    assertThat(pacer.stats().paced()).isEqualTo(2);
  }

  @Test
  void cancellingAnAsyncCallWhileItWaitsGivesItsCapacityBack() {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).requestsPerMinute(1).build();
    OpenAiClient client = client(pacer);
    transport.enqueue(200, Map.of(), COMPLETION);
    client.chat().createAsync(HELLO).join();
    CompletableFuture<?> waiting = client.chat().createAsync(HELLO);
    assertThat(waiting).isNotDone();
    waiting.cancel(true);
    time.advance(Duration.ofMinutes(5));
    assertThat(transport.sent).hasSize(1);
    assertThat(((DefaultPacer) pacer).reserve(new TokenEstimate("gpt-4o-mini", 1, 1, 1)).waitTime()).isEqualTo(Duration.ZERO);
  }

  @Test
  void requestsTheLimitsDoNotCountPassUnpaced() {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).requestsPerMinute(1).build();
    OpenAiClient client = client(pacer);
    for (int i = 0; i < 3; i++) {
      transport.enqueue(200, Map.of(), "{\"object\":\"list\",\"data\":[]}");
      client.models().list();
    }
    assertThat(pacer.stats().reservations()).isZero();
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void rateLimitHeadersAreLearnedOverRealHttp() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(200)
          .addHeader("content-type", "application/json")
          .addHeader("x-ratelimit-limit-requests", "100")
          .addHeader("x-ratelimit-remaining-requests", "0")
          .addHeader("x-ratelimit-reset-requests", "10s")
          .addHeader("x-ratelimit-limit-tokens", "1000")
          .addHeader("x-ratelimit-remaining-tokens", "961")
          .addHeader("x-ratelimit-reset-tokens", "390ms")
          .body(COMPLETION).build());
      server.start();
      Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).build();
      OpenAiClient client = TestSupport.client(server.url("/v1").toString(), TestSupport.preset(time)).pacer(pacer).build();

      client.chat().create(HELLO);

      PacerStats.Scope scope = pacer.stats().scopes().get(0);
      assertThat(scope.requests().capacity()).isEqualTo(100);
      assertThat(scope.tokens().capacity()).isEqualTo(1000);
      assertThat(scope.tokens().perMinute()).isCloseTo(6000, org.assertj.core.data.Offset.offset(0.1));
      assertThat(((DefaultPacer) pacer).reserve(new TokenEstimate("gpt-4o-mini", 1, 1, 1)).waitTime()).isEqualTo(Duration.ofMillis(100));
    }
  }
}
