package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/responses} over real HTTP on 127.0.0.1: the JSON answer and the event stream. */
class ResponsesApiTest {
  private MockServer server;
  private Http http;

  private void start(Scenario scenario) {
    server = MockServer.start(scenario);
    http = new Http(server);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aStringInputIsEchoedAsTheOutputText() throws Exception {
    start(Scenario.defaults());

    HttpResponse<String> response = http.responses();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    JsonNode body = Http.json(response);
    assertThat(body.path("object").asText()).isEqualTo("response");
    assertThat(body.path("id").asText()).startsWith("resp_");
    assertThat(body.path("status").asText()).isEqualTo("completed");
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.path("instructions").asText()).isEqualTo("Be brief.");
    assertThat(body.path("created_at").asLong()).isPositive();
    assertThat(body.path("completed_at").asLong()).isGreaterThanOrEqualTo(body.path("created_at").asLong());
    assertThat(body.path("error").isNull()).isTrue();
    JsonNode message = body.path("output").get(0);
    assertThat(message.path("type").asText()).isEqualTo("message");
    assertThat(message.path("role").asText()).isEqualTo("assistant");
    assertThat(message.path("status").asText()).isEqualTo("completed");
    assertThat(message.path("id").asText()).startsWith("msg_");
    assertThat(message.at("/content/0/type").asText()).isEqualTo("output_text");
    assertThat(message.at("/content/0/text").asText()).isEqualTo("Say hello");
    // "Be brief." (9) + "Say hello" (9) = 18 chars -> 5 tokens; reply 9 chars -> 3 tokens.
    assertThat(body.at("/usage/input_tokens").asLong()).isEqualTo(5);
    assertThat(body.at("/usage/output_tokens").asLong()).isEqualTo(3);
    assertThat(body.at("/usage/total_tokens").asLong()).isEqualTo(8);
  }

  @Test
  void inputItemsEchoTheLastUserMessageWhateverItsContentShape() throws Exception {
    start(Scenario.defaults());

    JsonNode body = Http.json(http.post("/v1/responses", "{\"input\":["
        + "{\"role\":\"developer\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"first question\"},"
        + "{\"role\":\"assistant\",\"content\":\"first answer\"},"
        + "{\"type\":\"message\",\"role\":\"user\",\"content\":["
        + "{\"type\":\"input_text\",\"text\":\"last \"},{\"type\":\"input_text\",\"text\":\"words\"}]}]}"));

    assertThat(body.at("/output/0/content/0/text").asText()).isEqualTo("last words");
    assertThat(body.path("instructions").isNull()).isTrue();
    // 9 + 14 + 12 + 10 = 45 chars -> 12 tokens
    assertThat(body.at("/usage/input_tokens").asLong()).isEqualTo(12);
  }

  @Test
  void theScenarioReplyAndTheRequestedModelAndMaxAreAnswered() throws Exception {
    start(Scenario.builder().reply("Fixed answer").build());

    JsonNode body = Http.json(http.post("/v1/responses",
        "{\"model\":\"m1\",\"input\":\"ignored\",\"max_output_tokens\":50}"));

    assertThat(body.at("/output/0/content/0/text").asText()).isEqualTo("Fixed answer");
    assertThat(body.path("model").asText()).isEqualTo("m1");
    assertThat(body.path("max_output_tokens").asLong()).isEqualTo(50);
  }

  @Test
  void streamingSendsTheResponseEventSequenceWithSequenceNumbers() throws Exception {
    start(Scenario.builder().reply("abcdefgh").streamChunks(4).build());

    HttpResponse<String> response = http.post("/v1/responses", "{\"stream\":true,\"input\":\"hi\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(response.body()).doesNotContain("[DONE]");
    List<Sse.Event> events = Sse.events(response.body());
    assertThat(events).extracting(Sse.Event::name).containsExactly(
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed");
    for (int i = 0; i < events.size(); i++) {
      JsonNode json = events.get(i).json();
      assertThat(json.path("type").asText()).as("type of event %d", i).isEqualTo(events.get(i).name());
      assertThat(json.path("sequence_number").asInt()).as("sequence_number of event %d", i).isEqualTo(i);
    }
    String deltas = events.stream().filter(e -> e.name().equals("response.output_text.delta"))
        .map(e -> e.json().path("delta").asText()).collect(Collectors.joining());
    assertThat(deltas).isEqualTo("abcdefgh");
    assertThat(events.get(8).json().path("text").asText()).isEqualTo("abcdefgh");
    JsonNode created = events.get(0).json().path("response");
    assertThat(created.path("status").asText()).isEqualTo("in_progress");
    assertThat(created.path("output")).isEmpty();
    JsonNode completed = events.get(11).json().path("response");
    assertThat(completed.path("id").asText()).isEqualTo(created.path("id").asText());
    assertThat(completed.path("status").asText()).isEqualTo("completed");
    assertThat(completed.at("/output/0/content/0/text").asText()).isEqualTo("abcdefgh");
    assertThat(completed.at("/usage/output_tokens").asLong()).isEqualTo(2);
    String itemId = events.get(2).json().at("/item/id").asText();
    assertThat(events.get(4).json().path("item_id").asText()).isEqualTo(itemId);
  }

  @Test
  void streamGapsPaceTheEvents() throws Exception {
    start(Scenario.builder().streamChunks(2).streamGap(java.time.Duration.ofMillis(5)).build());

    long started = System.nanoTime();
    HttpResponse<String> response = http.post("/v1/responses", "{\"stream\":true,\"input\":\"hi\"}");
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(Sse.events(response.body())).hasSize(10);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(9 * 5); // a gap between each of the 10 events
  }

  @Test
  void badRequestsGetOpenAiErrorsNamingTheParameter() throws Exception {
    start(Scenario.defaults());

    HttpResponse<String> noInput = http.post("/v1/responses", "{\"model\":\"x\"}");
    HttpResponse<String> numberInput = http.post("/v1/responses", "{\"input\":5}");
    HttpResponse<String> badItem = http.post("/v1/responses", "{\"input\":[\"hi\"]}");
    HttpResponse<String> badInstructions = http.post("/v1/responses", "{\"input\":\"hi\",\"instructions\":3}");
    HttpResponse<String> badMax = http.post("/v1/responses", "{\"input\":\"hi\",\"max_output_tokens\":\"lots\"}");
    HttpResponse<String> notJson = http.post("/v1/responses", "{nope");

    for (HttpResponse<String> response : List.of(noInput, numberInput, badItem, badInstructions, badMax, notJson)) {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(Http.json(response).at("/error/type").asText()).isEqualTo("invalid_request_error");
      assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
    }
    assertThat(Http.json(noInput).at("/error/param").asText()).isEqualTo("input");
    assertThat(Http.json(numberInput).at("/error/param").asText()).isEqualTo("input");
    assertThat(Http.json(badItem).at("/error/param").asText()).isEqualTo("input");
    assertThat(Http.json(badInstructions).at("/error/param").asText()).isEqualTo("instructions");
    assertThat(Http.json(badMax).at("/error/param").asText()).isEqualTo("max_output_tokens");
  }

  @Test
  void theUnknownUrlErrorListsTheResponsesEndpoint() throws Exception {
    start(Scenario.defaults());

    HttpResponse<String> unknown = http.get("/v1/responses");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Http.json(unknown).at("/error/message").asText()).contains("POST /v1/responses");
  }

  @Test
  void responsesAreCountedInTheStats() throws Exception {
    start(Scenario.builder().script("503").build());

    http.responses();
    http.responses();

    assertThat(server.stats().requests()).extracting(RequestRecord::path, RequestRecord::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/v1/responses", 503),
            org.assertj.core.groups.Tuple.tuple("/v1/responses", 200));
  }
}
