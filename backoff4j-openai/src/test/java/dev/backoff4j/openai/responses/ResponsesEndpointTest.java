package dev.backoff4j.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenApiSamples;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.errors.BadRequestException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.RateLimitException;
import dev.backoff4j.openai.errors.ServerErrorException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.internal.Json;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.testkit.VirtualTime;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** client.responses(): the documented shapes, and the retry rules of its event stream. */
class ResponsesEndpointTest {

  private final MockWebServer server = new MockWebServer();
  private final VirtualTime time = new VirtualTime();
  private final TestSupport.Retries retries = new TestSupport.Retries();
  private OpenAiClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    client = TestSupport.client(server.url("/v1").toString(), TestSupport.preset(time).listener(retries)).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void reply(String contentType, String body) {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", contentType)
        .addHeader("x-request-id", "req_ok").body(body).build());
  }

  private static String event(String type, String fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}\n\n";
  }

  private static final String OPENING = event("response.created", "\"sequence_number\":0,\"response\":{\"id\":\"resp_1\","
      + "\"status\":\"in_progress\",\"output\":[]}")
      + event("response.in_progress", "\"sequence_number\":1,\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}")
      + event("response.output_item.added", "\"sequence_number\":2,\"output_index\":0,\"item\":{\"type\":\"message\"}")
      + event("response.content_part.added", "\"sequence_number\":3,\"part\":{\"type\":\"output_text\",\"text\":\"\"}");

  private static String delta(int sequence, String text) {
    return event("response.output_text.delta", "\"sequence_number\":" + sequence + ",\"delta\":\"" + text + "\"");
  }

  private static String completed(String text) {
    return event("response.completed", "\"sequence_number\":9,\"response\":{\"id\":\"resp_1\",\"status\":\"completed\","
        + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + text + "\"}]}],"
        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":2,\"total_tokens\":7}}");
  }

  private static String rateLimitEvent(int sequence) {
    return event("error", "\"sequence_number\":" + sequence + ",\"code\":\"rate_limit_exceeded\",\"message\":"
        + "\"Rate limit reached for requests. Please try again in 200ms.\",\"param\":null");
  }

  private static String failed(int sequence, String code) {
    return event("response.failed", "\"sequence_number\":" + sequence + ",\"response\":{\"id\":\"resp_1\",\"status\":"
        + "\"failed\",\"error\":{\"code\":\"" + code + "\",\"message\":\"The model failed.\"}}");
  }

  @Test
  void createParsesTheDocumentedExampleAndSendsModelAndInput() throws Exception {
    reply("application/json", OpenApiSamples.response("/responses", "post", "Text input"));
    ModelResponse response = client.responses().create(ResponseRequest.of("gpt-4.1", "Tell me a story.")
        .instructions("Be brief.").maxOutputTokens(100));

    assertThat(response.id()).startsWith("resp_");
    assertThat(response.status()).isEqualTo("completed");
    assertThat(response.isCompleted()).isTrue();
    assertThat(response.outputText()).isNotBlank();
    assertThat(response.usage().totalTokens()).isEqualTo(response.usage().inputTokens() + response.usage().outputTokens());
    assertThat(response.raw().get("object").asText()).isEqualTo("response"); // nothing lost

    JsonNode body = Json.MAPPER.readTree(server.takeRequest().getBody().utf8());
    assertThat(body.get("model").asText()).isEqualTo("gpt-4.1");
    assertThat(body.get("input").asText()).isEqualTo("Tell me a story.");
    assertThat(body.get("instructions").asText()).isEqualTo("Be brief.");
    assertThat(body.get("max_output_tokens").asInt()).isEqualTo(100);
    assertThat(body.has("stream")).isFalse();
  }

  @Test
  void requestsAreBuiltFromMessagesItemsOrRawJson() {
    assertThat(ResponseRequest.of("m", InputMessage.developer("rules"), InputMessage.user("hi")).toJson().toString())
        .isEqualTo("{\"model\":\"m\",\"input\":[{\"role\":\"developer\",\"content\":\"rules\"},"
            + "{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(ResponseRequest.ofItems("m", List.of(Map.of("type", "function_call_output", "call_id", "c1",
        "output", "42"))).toJson().get("input").get(0).get("type").asText()).isEqualTo("function_call_output");
    JsonNode raw = Json.MAPPER.createObjectNode().put("model", "m").put("input", "x").put("store", false);
    assertThat(ResponseRequest.fromJson(raw).with("temperature", 0.5).toJson().toString())
        .isEqualTo("{\"model\":\"m\",\"input\":\"x\",\"store\":false,\"temperature\":0.5}");
    assertThat(ResponseRequest.of("m", "secret prompt").toString()).doesNotContain("secret");
  }

  @Test
  void streamingFollowsTheDocumentedEventStream() throws Exception {
    String sse = Arrays.stream(OpenApiSamples.response("/responses", "post", "Streaming").split("\n"))
        .filter(line -> !line.strip().equals("..."))
        .collect(Collectors.joining("\n")) + "\n";
    reply("text/event-stream", sse);
    try (ResponseStream stream = client.responses().stream(ResponseRequest.of("gpt-5.4", "Hello!"))) {
      List<String> types = stream.stream().map(ResponseStreamEvent::type).toList();
      assertThat(types).startsWith("response.created", "response.in_progress", "response.output_item.added")
          .contains("response.output_text.delta").endsWith("response.completed");
      assertThat(stream.text()).isEqualTo("Hi");
      ModelResponse last = stream.response().orElseThrow();
      assertThat(last.outputText()).isEqualTo("Hi there! How can I assist you today?");
      assertThat(last.usage()).isEqualTo(new ResponseUsage(37, 11, 48));
    }
    assertThat(Json.MAPPER.readTree(server.takeRequest().getBody().utf8()).get("stream").asBoolean()).isTrue();
  }

  @Test
  void aRateLimitEventBeforeTheFirstOutputIsRetriedAfterItsHint() {
    reply("text/event-stream", OPENING + rateLimitEvent(4));
    reply("text/event-stream", OPENING + delta(4, "ok") + completed("ok"));

    ModelResponse response = client.responses().stream(ResponseRequest.of("m", "hi")).readResponse();

    assertThat(response.outputText()).isEqualTo("ok");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(retries.events).extracting(RetryScheduled::delay).containsExactly(Duration.ofMillis(200));
    assertThat(retries.events.get(0).failure()).isInstanceOf(RateLimitException.class);
  }

  @Test
  void aFailedResponseBeforeTheFirstOutputIsRetriedAsTheErrorItDescribes() {
    reply("text/event-stream", OPENING + failed(4, "server_error"));
    reply("text/event-stream", OPENING + delta(4, "ok") + completed("ok"));
    assertThat(client.responses().stream(ResponseRequest.of("m", "hi")).readText()).isEqualTo("ok");
    assertThat(retries.events.get(0).failure()).isInstanceOf(ServerErrorException.class);

    reply("text/event-stream", OPENING + failed(4, "invalid_prompt"));
    assertThat(catchThrowableOfType(BadRequestException.class,
        () -> client.responses().stream(ResponseRequest.of("m", "hi")))).isNotNull();
    assertThat(server.getRequestCount()).isEqualTo(3); // a bad prompt is not retried
  }

  @Test
  void anErrorEventAfterOutputInterruptsTheStreamWithTheTextAndTheTypedCause() {
    reply("text/event-stream", OPENING + delta(4, "Hel") + delta(5, "lo") + rateLimitEvent(6));
    ResponseStream stream = client.responses().stream(ResponseRequest.of("m", "hi"));

    StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class, stream::readText);

    assertThat(e.text()).isEqualTo("Hello");
    assertThat(e.getCause()).isInstanceOf(RateLimitException.class);
    assertThat(((RateLimitException) e.getCause()).hint().orElseThrow().delay()).isEqualTo(Duration.ofMillis(200));
    assertThat(e.events()).hasSize(6); // the opening events and the deltas, not the error itself
    assertThat(server.getRequestCount()).isEqualTo(1); // never retried: the text would come twice
  }

  @Test
  void aFailedResponseAfterOutputInterruptsTheStreamCausedByAServerError() {
    reply("text/event-stream", OPENING + delta(4, "partial") + failed(5, "server_error"));
    StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class,
        () -> client.responses().stream(ResponseRequest.of("m", "hi")).readText());
    assertThat(e.text()).isEqualTo("partial");
    assertThat(e.getCause()).isInstanceOf(ServerErrorException.class).hasMessageContaining("The model failed.");
  }

  @Test
  void aStreamEndingWithoutCompletedIsInterrupted() {
    reply("text/event-stream", OPENING + delta(4, "cut"));
    StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class,
        () -> client.responses().stream(ResponseRequest.of("m", "hi")).readText());
    assertThat(e.text()).isEqualTo("cut");
    assertThat(e.getCause()).isInstanceOf(OpenAiConnectionException.class)
        .hasMessage("stream ended before response.completed");
  }

  @Test
  void anIncompleteResponseEndsTheStreamNormally() {
    reply("text/event-stream", OPENING + delta(4, "so") + event("response.incomplete", "\"sequence_number\":5,"
        + "\"response\":{\"id\":\"resp_1\",\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":"
        + "\"max_output_tokens\"},\"output\":[]}"));
    ModelResponse response = client.responses().stream(ResponseRequest.of("m", "hi")).readResponse();
    assertThat(response.status()).isEqualTo("incomplete");
    assertThat(response.incompleteReason()).contains("max_output_tokens");
  }

  @Test
  void asyncCallsAndStreamsGiveTheSame() throws Exception {
    reply("application/json", "{\"id\":\"resp_2\",\"object\":\"response\",\"status\":\"completed\",\"output\":["
        + "{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"a\"},"
        + "{\"type\":\"output_text\",\"text\":\"b\"}]}]}");
    assertThat(TestSupport.await(client.responses().createAsync(ResponseRequest.of("m", "x")), time).outputText())
        .isEqualTo("ab");

    reply("text/event-stream", OPENING + delta(4, "a") + delta(5, "b") + completed("ab"));
    ResponseStream stream = TestSupport.await(client.responses().streamAsync(ResponseRequest.of("m", "x")), time);
    assertThat(stream.readText()).isEqualTo("ab");
  }
}
