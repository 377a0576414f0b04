package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fault token acts on {@code POST /v1/responses} as it acts on chat completions. */
class ResponsesFaultTest {
  /** Faults a client sees as an HTTP answer (status, headers, body), one or more tokens per kind. */
  private static final List<String> HTTP_LEVEL = List.of(
      "200", "400", "409", "429", "500", "503", "quota", "hint-ms:250", "hint-s:3", "hint-date:30", "hint-absurd",
      "hint-negative", "hint-garbage", "retry:409", "noretry:500", "latency:30ms", "malformed", "html502",
      "outage:10s", "sse-cut:2", "sse-error", "sse-failed:3", "sse-rate-limit");
  /** Faults below HTTP, each with its own test here. */
  private static final Set<FaultKind> CONNECTION_LEVEL = EnumSet.of(FaultKind.STALL, FaultKind.RESET, FaultKind.CUT);

  private MockServer server;
  private final AtomicLong fakeNanos = new AtomicLong(1_000_000_000L);

  private Http start(Scenario scenario) {
    if (server != null) {
      server.close();
    }
    server = MockServer.builder().scenario(scenario).nanoTime(fakeNanos::get).start();
    return new Http(server);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static List<String> httpLevelTokens() {
    return HTTP_LEVEL;
  }

  @Test
  void theseTestsCoverEveryFaultKind() {
    Set<FaultKind> covered = HTTP_LEVEL.stream().map(t -> Fault.parse(t).kind()).collect(Collectors.toSet());
    covered.addAll(CONNECTION_LEVEL);

    assertThat(covered).containsExactlyInAnyOrder(FaultKind.values());
  }

  @ParameterizedTest
  @MethodSource("httpLevelTokens")
  void anHttpLevelFaultLooksTheSameOnResponsesAsOnChat(String token) throws Exception {
    Observed chat = observe(token, "/v1/chat/completions", Http.CHAT_BODY);
    Observed responses = observe(token, "/v1/responses", Http.RESPONSES_BODY);

    assertThat(responses).isEqualTo(chat);
    if (token.startsWith("latency:")) {
      assertThat(responses.slowerThan30ms()).isTrue();
    }
  }

  @Test
  void theStreamFailuresOfRequestsThatDoNotStreamAreTheHttpErrorsTheyDescribe() throws Exception {
    Http http = start(Scenario.builder().script("sse-error,sse-failed,sse-rate-limit").build());

    HttpResponse<String> error = http.responses();
    HttpResponse<String> failed = http.responses();
    HttpResponse<String> rateLimit = http.responses();

    assertThat(error.statusCode()).isEqualTo(500);
    assertThat(Http.json(error).at("/error/type").asText()).isEqualTo("server_error");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(rateLimit.statusCode()).isEqualTo(429);
    assertThat(Http.json(rateLimit).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(Http.json(rateLimit).at("/error/message").asText()).contains("try again in 200ms");
    assertThat(server.stats().faults("sse-rate-limit")).isEqualTo(1);
  }

  @Test
  void sseErrorSendsAnErrorEventAfterKEventsAndEndsTheStream() throws Exception {
    Http http = start(Scenario.builder().reply("abcdefgh").streamChunks(4).script("sse-error:5").build());

    HttpResponse<String> response = http.post("/v1/responses", "{\"stream\":true,\"input\":\"hi\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    List<Sse.Event> events = Sse.events(response.body());
    assertThat(events).extracting(Sse.Event::name).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error");
    JsonNode error = events.get(5).json();
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("sequence_number").asInt()).isEqualTo(5);
    assertThat(error.path("code").asText()).isEqualTo("server_error");
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.has("param")).isTrue();
  }

  @Test
  void sseFailedSendsResponseFailedHoldingTheTextSoFar() throws Exception {
    Http http = start(Scenario.builder().reply("abcdefgh").streamChunks(4).script("sse-failed:6").build());

    List<Sse.Event> events = Sse.events(http.post("/v1/responses", "{\"stream\":true,\"input\":\"hi\"}").body());

    assertThat(events).hasSize(7);
    Sse.Event failed = events.get(6);
    assertThat(failed.name()).isEqualTo("response.failed");
    assertThat(failed.json().path("sequence_number").asInt()).isEqualTo(6);
    JsonNode response = failed.json().path("response");
    assertThat(response.path("status").asText()).isEqualTo("failed");
    assertThat(response.at("/error/code").asText()).isEqualTo("server_error");
    assertThat(response.at("/output/0/status").asText()).isEqualTo("incomplete");
    assertThat(response.at("/output/0/content/0/text").asText()).isEqualTo("abcd"); // the two deltas sent
    assertThat(response.path("id").asText()).isEqualTo(events.get(0).json().at("/response/id").asText());
  }

  @Test
  void sseRateLimitSendsARateLimitErrorEvent() throws Exception {
    Http http = start(Scenario.builder().script("sse-rate-limit:2").build());

    List<Sse.Event> events = Sse.events(http.post("/v1/responses", "{\"stream\":true,\"input\":\"hi\"}").body());

    assertThat(events).extracting(Sse.Event::name).containsExactly("response.created", "response.in_progress", "error");
    assertThat(events.get(2).json().path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(events.get(2).json().path("message").asText()).contains("try again in 200ms");
  }

  @Test
  void aFailureBeyondTheStreamReplacesItsLastEvent() throws Exception {
    Http http = start(Scenario.builder().streamChunks(2).script("sse-error:100").build());

    List<Sse.Event> events = Sse.events(http.post("/v1/responses", "{\"stream\":true,\"input\":\"hi\"}").body());

    assertThat(events).hasSize(10);
    assertThat(events.get(9).name()).isEqualTo("error");
    assertThat(events).extracting(Sse.Event::name).doesNotContain("response.completed");
  }

  @Test
  void chatStreamsReportTheFailureAsAnErrorObjectWithoutDone() throws Exception {
    Http http = start(Scenario.builder().streamChunks(4).script("sse-error:2,sse-rate-limit:1,sse-failed:1").build());
    String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}";

    List<String> error = MockServerApiTest.sseData(http.post("/v1/chat/completions", body).body());
    List<String> rateLimit = MockServerApiTest.sseData(http.post("/v1/chat/completions", body).body());
    List<String> failed = MockServerApiTest.sseData(http.post("/v1/chat/completions", body).body());

    assertThat(error).hasSize(3).doesNotContain("[DONE]");
    assertThat(Http.JSON.readTree(error.get(0)).path("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(Http.JSON.readTree(error.get(2)).at("/error/type").asText()).isEqualTo("server_error");
    assertThat(Http.JSON.readTree(rateLimit.get(1)).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(Http.JSON.readTree(rateLimit.get(1)).at("/error/type").asText()).isEqualTo("requests");
    assertThat(Http.JSON.readTree(failed.get(1)).at("/error/type").asText()).isEqualTo("server_error");
  }

  @Test
  void sseCutClosesAResponsesStreamAfterKEvents() throws Exception {
    start(Scenario.builder().streamChunks(5).script("sse-cut:3,cut").build());

    String cut = receive("/v1/responses", "{\"stream\":true,\"input\":\"hello world\"}");
    String cutAtOnce = receive("/v1/responses", "{\"stream\":true,\"input\":\"hello world\"}");

    assertThat(cut).startsWith("HTTP/1.1 200");
    assertThat(cut.split("\ndata: ", -1)).hasSize(4);
    assertThat(cut).doesNotContain("response.completed").doesNotEndWith("0\r\n\r\n");
    assertThat(cutAtOnce).startsWith("HTTP/1.1 200").contains("text/event-stream").doesNotContain("data: ");
  }

  @Test
  void cutSendsHalfTheDeclaredResponseThenCloses() throws Exception {
    start(Scenario.builder().reply("x".repeat(200)).script("cut,sse-cut").build());

    for (int i = 0; i < 2; i++) { // sse-cut cuts a request that does not stream like cut
      String received = receive("/v1/responses", Http.RESPONSES_BODY);
      int headerEnd = received.indexOf("\r\n\r\n");
      int declared = Integer.parseInt(received.replaceAll("(?is).*content-length: (\\d+).*", "$1"));
      assertThat(received).startsWith("HTTP/1.1 200");
      assertThat(received.length() - headerEnd - 4).isEqualTo(declared / 2);
    }
  }

  @Test
  void resetAbortsAResponsesRequestBeforeAnyByte() throws Exception {
    Http http = start(Scenario.builder().script("reset").build());

    try (Socket socket = rawRequest("/v1/responses", Http.RESPONSES_BODY)) {
      InputStream in = socket.getInputStream();
      assertThatThrownBy(() -> {
        if (in.read() == -1) {
          throw new IOException("end of stream"); // a reset may surface as either: both mean no byte
        }
      }).isInstanceOf(IOException.class);
    }
    assertThat(server.stats().faults("reset")).isEqualTo(1);
    assertThat(http.responses().statusCode()).isEqualTo(200);
  }

  @Test
  void stallNeverAnswersAResponsesRequest() throws Exception {
    start(Scenario.builder().script("stall").build());

    try (Socket socket = rawRequest("/v1/responses", Http.RESPONSES_BODY)) {
      socket.setSoTimeout(100);
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(server.stats().faults("stall")).isEqualTo(1);
  }

  @Test
  void scheduledOutagesRandomFaultsAndTheApiKeyApplyToResponses() throws Exception {
    Http http = start(Scenario.builder().outage(Duration.ofSeconds(5), Duration.ofSeconds(5)).build());
    int before = http.responses().statusCode();
    fakeNanos.addAndGet(Duration.ofSeconds(6).toNanos());
    int during = http.responses().statusCode();
    assertThat(List.of(before, during)).containsExactly(200, 503);

    http = start(Scenario.builder().faultRates("502=1").build());
    assertThat(http.responses().statusCode()).isEqualTo(502);

    http = start(Scenario.builder().apiKey("sk-right").build());
    assertThat(http.responses().statusCode()).isEqualTo(401);
    assertThat(http.post("/v1/responses", Http.RESPONSES_BODY, Map.of("Authorization", "Bearer sk-right"))
        .statusCode()).isEqualTo(200);
  }

  /** What a client can tell about one answer, minus what differs by endpoint (the success body's shape). */
  record Observed(int status, String contentType, String retryAfterMs, String retryAfter, String shouldRetry,
      boolean rateLimitHeaders, String errorType, String errorCode, boolean bodyIsJson, boolean slowerThan30ms) {}

  private Observed observe(String token, String path, String body) throws IOException {
    Http http = start(Scenario.builder().script(token).build());
    long started = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = http.post(path, body);
    } catch (IOException e) {
      // sse-cut cuts the body short: the client sees a broken connection, the same on both.
      return new Observed(-1, e.getClass().getSimpleName(), null, null, null, false, null, null, false, false);
    }
    boolean slow = System.nanoTime() - started >= 30_000_000L;
    JsonNode json = null;
    try {
      json = Http.JSON.readTree(response.body());
    } catch (IOException notJson) {
      // malformed and html502 bodies
    }
    return new Observed(
        response.statusCode(),
        response.headers().firstValue("content-type").orElse(null),
        response.headers().firstValue("retry-after-ms").orElse(null),
        response.headers().firstValue("retry-after").map(ResponsesFaultTest::dateAsKind).orElse(null),
        response.headers().firstValue("x-should-retry").orElse(null),
        response.headers().firstValue("x-ratelimit-remaining-requests").isPresent(),
        json == null ? null : json.at("/error/type").asText(null),
        json == null ? null : json.at("/error/code").asText(null),
        json != null,
        token.startsWith("latency:") && slow);
  }

  /** HTTP dates are a second apart between two requests: compare that it is one, not which. */
  private static String dateAsKind(String retryAfter) {
    try {
      ZonedDateTime.parse(retryAfter, DateTimeFormatter.RFC_1123_DATE_TIME);
      return "<http-date>";
    } catch (DateTimeParseException notADate) {
      return retryAfter;
    }
  }

  private String receive(String path, String body) throws IOException {
    try (Socket socket = rawRequest(path, body)) {
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Socket rawRequest(String path, String body) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(5_000);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Connection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
    return socket;
  }
}
