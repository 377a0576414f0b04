package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulated RPM/TPM limiter over HTTP, with a fake clock so nothing sleeps. */
class RateLimitEmulationTest {
  private final AtomicLong fakeNanos = new AtomicLong();
  private MockServer server;
  private Http http;

  private void start(Scenario scenario) {
    server = MockServer.builder().scenario(scenario).nanoTime(fakeNanos::get).start();
    http = new Http(server);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void requestsOverTheLimitGet429WithRetryHints() throws Exception {
    start(Scenario.builder().rateLimit(2, 1_000_000).window("10s").build());

    HttpResponse<String> first = http.chat();
    HttpResponse<String> second = http.chat();
    HttpResponse<String> limited = http.chat();

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(Http.json(limited).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(Http.json(limited).path("error").path("type").asText()).isEqualTo("requests");
    // One request regenerates every 5 s.
    assertThat(limited.headers().firstValue("retry-after-ms")).contains("5000");
    assertThat(limited.headers().firstValue("retry-after")).contains("5");
    assertThat(limited.headers().firstValue("x-ratelimit-reset-requests")).contains("10s");
    assertThat(server.stats().rateLimited()).isEqualTo(1);
    assertThat(server.stats().count(429)).isEqualTo(1);
  }

  @Test
  void waitingTheAdvisedTimeSucceeds() throws Exception {
    start(Scenario.builder().rateLimit(1, 1_000_000).window("1s").build());
    http.chat();
    HttpResponse<String> limited = http.chat();
    long advisedMillis = Long.parseLong(limited.headers().firstValue("retry-after-ms").orElseThrow());

    fakeNanos.addAndGet(Duration.ofMillis(advisedMillis).toNanos());

    assertThat(http.chat().statusCode()).isEqualTo(200);
  }

  @Test
  void tokenChargeIsPromptPlusMaxTokensTimesN() throws Exception {
    start(Scenario.builder().rateLimit(1_000, 1_000).build());

    // 40 chars of content → 10 prompt tokens, plus 100 × 3 = 310 tokens.
    HttpResponse<String> response = http.post("/v1/chat/completions",
        "{\"n\":3,\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(40) + "\"}]}");

    assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).contains("690");
  }

  @Test
  void responsesAreChargedTheirInputAndInstructionsPlusMaxOutputTokens() throws Exception {
    start(Scenario.builder().rateLimit(1_000, 1_000).build());

    // 32 chars of input + 8 of instructions -> 10 tokens, plus max_output_tokens 100 = 110 tokens.
    HttpResponse<String> response = http.post("/v1/responses", "{\"max_output_tokens\":100,\"instructions\":\"Be brief\","
        + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"" + "a".repeat(32) + "\"}]}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).contains("890");
    assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).contains("999");
  }

  @Test
  void responsesWithoutAMaxAreChargedTheirInputAndTheReply() throws Exception {
    start(Scenario.builder().rateLimit(1_000, 1_000).reply("r".repeat(40)).build());

    // 8 chars of input -> 2 tokens, plus a 40-char reply -> 10 tokens.
    HttpResponse<String> response = http.post("/v1/responses", "{\"input\":\"" + "a".repeat(8) + "\"}");

    assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).contains("988");
  }

  @Test
  void responsesAndChatCompletionsDrawOnTheSameBudgets() throws Exception {
    start(Scenario.builder().rateLimit(2, 1_000_000).window("10s").build());

    int chat = http.chat().statusCode();
    int responses = http.responses().statusCode();
    HttpResponse<String> limited = http.responses();

    assertThat(List.of(chat, responses)).containsExactly(200, 200);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(Http.json(limited).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(limited.headers().firstValue("retry-after-ms")).contains("5000");
    assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
    assertThat(server.stats().rateLimited()).isEqualTo(1);
  }

  @Test
  void aResponsesRequestAboveTheTokenLimitIsRejectedAsTokens() throws Exception {
    start(Scenario.builder().rateLimit(1_000, 100).build());

    HttpResponse<String> response = http.post("/v1/responses", "{\"max_output_tokens\":500,\"input\":\"hi\"}");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(Http.json(response).path("error").path("type").asText()).isEqualTo("tokens");
  }

  @Test
  void tokenLimitRejectsLargeRequestsAsTokens() throws Exception {
    start(Scenario.builder().rateLimit(1_000, 100).build());

    HttpResponse<String> response = http.post("/v1/chat/completions",
        "{\"max_tokens\":500,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(Http.json(response).path("error").path("type").asText()).isEqualTo("tokens");
  }

  @Test
  void failedRequestsCountAgainstTheLimit() throws Exception {
    start(Scenario.builder().rateLimit(2, 1_000_000).script("500,500").build());

    assertThat(http.chat().statusCode()).isEqualTo(500);
    assertThat(http.chat().statusCode()).isEqualTo(500);
    assertThat(http.chat().statusCode()).isEqualTo(429);
  }

  @Test
  void bucketsArePerApiKey() throws Exception {
    start(Scenario.builder().rateLimit(1, 1_000_000).build());

    int a1 = http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("Authorization", "Bearer a")).statusCode();
    int b1 = http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("Authorization", "Bearer b")).statusCode();
    int a2 = http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("Authorization", "Bearer a")).statusCode();

    assertThat(new int[] {a1, b1, a2}).containsExactly(200, 200, 429);
  }
}
