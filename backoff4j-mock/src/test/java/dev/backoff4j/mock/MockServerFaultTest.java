package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each fault kind, observed from the client side of a real connection. */
class MockServerFaultTest {
  private MockServer server;
  private Http http;
  private final AtomicLong fakeNanos = new AtomicLong(1_000_000_000L);

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
  void scriptedFaultsApplyInOrder() throws Exception {
    start(Scenario.builder().script("429,503,200,500").build());

    assertThat(List.of(http.chat().statusCode(), http.chat().statusCode(), http.chat().statusCode(),
        http.chat().statusCode(), http.chat().statusCode())).containsExactly(429, 503, 200, 500, 200);
    MockStats stats = server.stats();
    assertThat(stats.totalRequests()).isEqualTo(5);
    assertThat(stats.count(200)).isEqualTo(2);
    assertThat(stats.faults("503")).isEqualTo(1);
    assertThat(stats.requests()).extracting(RequestRecord::status).containsExactly(429, 503, 200, 500, 200);
  }

  @Test
  void scriptAppliesOnlyToRequestsWithTheMatchingHeader() throws Exception {
    start(Scenario.builder().script(FaultScript.parse("503,503").onlyWhen(HeaderMatch.parse("x-case: flaky"))).build());

    int plain = http.chat().statusCode();
    int flaky1 = http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("x-case", "flaky")).statusCode();
    int other = http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("x-case", "calm")).statusCode();
    int flaky2 = http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("x-case", "flaky")).statusCode();
    int flaky3 = http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("x-case", "flaky")).statusCode();

    assertThat(List.of(plain, flaky1, other, flaky2, flaky3)).containsExactly(200, 503, 200, 503, 200);
  }

  @Test
  void statusFaultsCarryOpenAiErrorBodies() throws Exception {
    start(Scenario.builder().script("503,quota,400").build());

    HttpResponse<String> unavailable = http.chat();
    HttpResponse<String> quota = http.chat();
    HttpResponse<String> bad = http.chat();

    assertThat(Http.json(unavailable).path("error").path("type").asText()).isEqualTo("server_error");
    assertThat(quota.statusCode()).isEqualTo(429);
    assertThat(Http.json(quota).path("error").path("code").asText()).isEqualTo("insufficient_quota");
    assertThat(quota.headers().firstValue("retry-after-ms")).isEmpty();
    assertThat(Http.json(bad).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(Http.json(bad).path("error").has("param")).isTrue();
    assertThat(unavailable.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
  }

  @Test
  void hintVariantsSendTheirRetryHeaders() throws Exception {
    start(Scenario.builder()
        .script("hint-ms:250,hint-s:3,hint-date:30,hint-absurd,hint-negative,hint-garbage").build());

    HttpResponse<String> ms = http.chat();
    HttpResponse<String> seconds = http.chat();
    HttpResponse<String> date = http.chat();
    HttpResponse<String> absurd = http.chat();
    HttpResponse<String> negative = http.chat();
    HttpResponse<String> garbage = http.chat();

    assertThat(ms.statusCode()).isEqualTo(429);
    assertThat(ms.headers().firstValue("retry-after-ms")).contains("250");
    assertThat(ms.headers().firstValue("retry-after")).isEmpty();
    assertThat(Http.json(ms).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(seconds.headers().firstValue("retry-after")).contains("3");
    assertThat(seconds.headers().firstValue("retry-after-ms")).isEmpty();
    ZonedDateTime when = ZonedDateTime.parse(date.headers().firstValue("retry-after").orElseThrow(),
        DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(Duration.between(ZonedDateTime.now(), when).toSeconds()).isBetween(20L, 31L);
    assertThat(Long.parseLong(absurd.headers().firstValue("retry-after-ms").orElseThrow()))
        .isGreaterThan(Duration.ofDays(300).toMillis());
    assertThat(negative.headers().firstValue("retry-after-ms")).contains("-1000");
    assertThat(garbage.headers().firstValue("retry-after-ms")).contains("soon");
  }

  @Test
  void shouldRetryHeaderIsSentWithTheGivenStatus() throws Exception {
    start(Scenario.builder().script("retry:409,noretry:500").build());

    HttpResponse<String> retry = http.chat();
    HttpResponse<String> noRetry = http.chat();

    assertThat(retry.statusCode()).isEqualTo(409);
    assertThat(retry.headers().firstValue("x-should-retry")).contains("true");
    assertThat(noRetry.statusCode()).isEqualTo(500);
    assertThat(noRetry.headers().firstValue("x-should-retry")).contains("false");
  }

  @Test
  void malformedAnswersWithBrokenJson() throws Exception {
    start(Scenario.builder().script("malformed").build());

    HttpResponse<String> response = http.chat();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> Http.JSON.readTree(response.body())).isInstanceOf(IOException.class);
  }

  @Test
  void html502LooksLikeAProxyPage() throws Exception {
    start(Scenario.builder().script("html502").build());

    HttpResponse<String> response = http.chat();

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.headers().firstValue("content-type")).contains("text/html");
    assertThat(response.body()).contains("<title>502 Bad Gateway</title>");
    assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
  }

  @Test
  void resetAbortsTheConnectionBeforeAnyByte() throws Exception {
    start(Scenario.builder().script("reset").build());

    try (Socket socket = rawRequest(Http.CHAT_BODY)) {
      InputStream in = socket.getInputStream();
      assertThatThrownBy(() -> {
        int read = in.read();
        // A reset may surface as an exception or, on some stacks, as end of stream: both mean no byte.
        if (read == -1) {
          throw new IOException("end of stream");
        }
      }).isInstanceOf(IOException.class);
    }
    assertThat(server.stats().faults("reset")).isEqualTo(1);
    assertThat(http.chat().statusCode()).isEqualTo(200);
  }

  @Test
  void cutSendsHalfTheDeclaredBodyThenCloses() throws Exception {
    start(Scenario.builder().reply("x".repeat(200)).script("cut").build());

    try (Socket socket = rawRequest(Http.CHAT_BODY)) {
      String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      int headerEnd = received.indexOf("\r\n\r\n");
      int declared = Integer.parseInt(received.replaceAll("(?is).*content-length: (\\d+).*", "$1"));
      int got = received.length() - headerEnd - 4;
      assertThat(received).startsWith("HTTP/1.1 200");
      assertThat(got).isEqualTo(declared / 2);
    }
  }

  @Test
  void sseCutClosesTheStreamAfterKEventsWithoutDone() throws Exception {
    start(Scenario.builder().streamChunks(5).script("sse-cut:2").build());

    try (Socket socket = rawRequest("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}")) {
      String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(received).startsWith("HTTP/1.1 200");
      assertThat(received.split("data: ", -1)).hasSize(3);
      assertThat(received).doesNotContain("[DONE]").doesNotEndWith("0\r\n\r\n");
    }
  }

  @Test
  void stallNeverAnswersButCloseReleasesTheConnection() throws Exception {
    start(Scenario.builder().script("stall").build());

    try (Socket socket = rawRequest(Http.CHAT_BODY)) {
      socket.setSoTimeout(100);
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      server.close();
      socket.setSoTimeout(5_000);
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void latencyDelaysTheAnswer() throws Exception {
    start(Scenario.builder().script("latency:80ms").build());

    long start = System.nanoTime();
    HttpResponse<String> response = http.chat();
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(80);
  }

  @Test
  void scriptedOutageFailsEverythingForItsDuration() throws Exception {
    start(Scenario.builder().script("outage:10s").build());

    int first = http.chat().statusCode();
    fakeNanos.addAndGet(Duration.ofSeconds(9).toNanos());
    int during = http.chat().statusCode();
    fakeNanos.addAndGet(Duration.ofSeconds(2).toNanos());
    int after = http.chat().statusCode();

    assertThat(List.of(first, during, after)).containsExactly(503, 503, 200);
    assertThat(server.stats().faults("outage")).isEqualTo(2);
  }

  @Test
  void scheduledOutageWindowStartsAfterItsOffset() throws Exception {
    start(Scenario.builder().outage(new OutageWindow(Duration.ofSeconds(5), Duration.ofSeconds(5), 500)).build());

    int before = http.chat().statusCode();
    fakeNanos.addAndGet(Duration.ofSeconds(6).toNanos());
    int during = http.chat().statusCode();
    fakeNanos.addAndGet(Duration.ofSeconds(5).toNanos());
    int after = http.chat().statusCode();

    assertThat(List.of(before, during, after)).containsExactly(200, 500, 200);
  }

  @Test
  void randomFaultsFollowTheirRates() throws Exception {
    start(Scenario.builder().faultRates("503=0.5").seed(7).build());

    int failures = 0;
    for (int i = 0; i < 200; i++) {
      if (http.chat().statusCode() == 503) {
        failures++;
      }
    }

    assertThat(failures).isBetween(60, 140);
    assertThat(server.stats().faults("503")).isEqualTo(failures);
  }

  private Socket rawRequest(String body) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(5_000);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
    return socket;
  }
}
