package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mock's bodies validate against the shared OpenAI OpenAPI description's schemas: chat
 * completions and their chunks, Responses and each of their stream events, embeddings, models and
 * every error body.
 */
class OpenApiSchemaConformanceTest {
  private static final Map<String, String> EVENT_SCHEMAS = Map.ofEntries(
      Map.entry("response.created", "ResponseCreatedEvent"),
      Map.entry("response.in_progress", "ResponseInProgressEvent"),
      Map.entry("response.output_item.added", "ResponseOutputItemAddedEvent"),
      Map.entry("response.content_part.added", "ResponseContentPartAddedEvent"),
      Map.entry("response.output_text.delta", "ResponseTextDeltaEvent"),
      Map.entry("response.output_text.done", "ResponseTextDoneEvent"),
      Map.entry("response.content_part.done", "ResponseContentPartDoneEvent"),
      Map.entry("response.output_item.done", "ResponseOutputItemDoneEvent"),
      Map.entry("response.completed", "ResponseCompletedEvent"),
      Map.entry("response.failed", "ResponseFailedEvent"),
      Map.entry("error", "ResponseErrorEvent"));
  private static OpenApiSchemas schemas;
  private static MockServer server;
  private static Http http;

  @BeforeAll
  static void load() throws Exception {
    schemas = OpenApiSchemas.load();
    server = MockServer.start(Scenario.builder().reply("schema check").streamChunks(2).build());
    http = new Http(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void chatCompletionMatchesCreateChatCompletionResponse() throws Exception {
    JsonNode body = Http.json(http.post("/v1/chat/completions",
        "{\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

    assertThat(schemas.errors("CreateChatCompletionResponse", body)).isEmpty();
  }

  @Test
  void everyStreamChunkMatchesCreateChatCompletionStreamResponse() throws Exception {
    HttpResponse<String> response = http.post("/v1/chat/completions",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    var events = MockServerApiTest.sseData(response.body());
    assertThat(events).hasSize(5);
    for (String event : events.subList(0, events.size() - 1)) {
      assertThat(schemas.errors("CreateChatCompletionStreamResponse", Http.JSON.readTree(event)))
          .as(event).isEmpty();
    }
  }

  @Test
  void aResponseMatchesResponse() throws Exception {
    JsonNode body = Http.json(http.post("/v1/responses",
        "{\"instructions\":\"Be brief.\",\"max_output_tokens\":64,\"input\":[{\"role\":\"user\",\"content\":"
            + "[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}"));

    assertThat(schemas.errors("Response", body)).isEmpty();
  }

  @Test
  void everyResponsesStreamEventMatchesItsSchemaAndResponseStreamEvent() throws Exception {
    List<Sse.Event> events = Sse.events(http.post("/v1/responses", "{\"stream\":true,\"input\":\"hi\"}").body());

    assertThat(events).hasSize(10);
    assertEventsConform(events);
  }

  @Test
  void streamFailureEventsMatchTheirSchemas() throws Exception {
    // failures before the message, before its text, mid-text and in place of the last event
    server.scenario(Scenario.builder().reply("schema check").streamChunks(2)
        .script("sse-failed:1,sse-failed:3,sse-failed:5,sse-failed:100,sse-error:5,sse-rate-limit:0").build());
    try {
      for (int i = 0; i < 6; i++) {
        List<Sse.Event> events =
            Sse.events(http.post("/v1/responses", "{\"stream\":true,\"input\":\"hi\"}").body());
        assertThat(events.get(events.size() - 1).name()).isIn("response.failed", "error");
        assertEventsConform(events);
      }
    } finally {
      server.scenario(Scenario.builder().reply("schema check").streamChunks(2).build());
    }
  }

  @Test
  void chatStreamFailuresAndResponsesErrorsMatchErrorResponse() throws Exception {
    server.scenario(Scenario.builder().reply("schema check").streamChunks(2)
        .script("sse-error:1,sse-rate-limit,503,quota,hint-ms:5,sse-failed").build());
    try {
      List<String> chat = MockServerApiTest.sseData(http.post("/v1/chat/completions",
          "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body());
      assertThat(schemas.errors("ErrorResponse", Http.JSON.readTree(chat.get(1)))).isEmpty();
      for (int i = 0; i < 5; i++) {
        assertThat(schemas.errors("ErrorResponse", Http.json(http.responses()))).isEmpty();
      }
      assertThat(schemas.errors("ErrorResponse", Http.json(http.post("/v1/responses", "{\"input\":5}")))).isEmpty();
    } finally {
      server.scenario(Scenario.builder().reply("schema check").streamChunks(2).build());
    }
  }

  private static void assertEventsConform(List<Sse.Event> events) {
    for (Sse.Event event : events) {
      JsonNode json = event.json();
      String schema = EVENT_SCHEMAS.get(json.path("type").asText());
      assertThat(schema).as("a schema for %s", event.name()).isNotNull();
      assertThat(schemas.errors(schema, json)).as(event.data()).isEmpty();
      assertThat(schemas.errors("ResponseStreamEvent", json)).as(event.data()).isEmpty();
    }
  }

  @Test
  void embeddingsMatchCreateEmbeddingResponse() throws Exception {
    JsonNode body = Http.json(http.post("/v1/embeddings", "{\"input\":[\"a\",\"b\"]}"));

    assertThat(schemas.errors("CreateEmbeddingResponse", body)).isEmpty();
  }

  @Test
  void modelsMatchListModelsResponse() throws Exception {
    assertThat(schemas.errors("ListModelsResponse", Http.json(http.get("/v1/models")))).isEmpty();
  }

  @Test
  void errorBodiesMatchErrorResponse() throws Exception {
    server.scenario(Scenario.builder().script("503,quota,hint-ms:5,html502").build());
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(schemas.errors("ErrorResponse", Http.json(http.chat()))).isEmpty();
      }
      JsonNode notFound = Http.json(http.get("/v1/unknown"));
      assertThat(schemas.errors("ErrorResponse", notFound)).isEmpty();
    } finally {
      server.scenario(Scenario.builder().reply("schema check").streamChunks(2).build());
    }
  }

  @Test
  void validatorRejectsAWrongShape() throws Exception {
    ObjectNode broken = (ObjectNode) Http.json(http.get("/v1/models"));
    broken.put("object", "not-a-list");

    assertThat(schemas.errors("ListModelsResponse", broken)).isNotEmpty();
    assertThat(schemas.errors("ErrorResponse", Http.JSON.readTree("{\"error\":{\"message\":\"x\"}}"))).isNotEmpty();
    ObjectNode chat = (ObjectNode) Http.json(http.chat());
    ((ObjectNode) chat.at("/choices/0/message")).put("role", 123); // behind a $ref
    assertThat(schemas.errors("CreateChatCompletionResponse", chat)).isNotEmpty();
    ObjectNode response = (ObjectNode) Http.json(http.responses());
    ((ObjectNode) response.at("/output/0/content/0")).remove("annotations"); // behind allOf, oneOf and $refs
    assertThat(schemas.errors("Response", response)).isNotEmpty();
    ObjectNode delta = (ObjectNode) Sse.events(http.post("/v1/responses", "{\"stream\":true,\"input\":\"hi\"}").body())
        .get(4).json();
    delta.remove("sequence_number");
    assertThat(schemas.errors("ResponseTextDeltaEvent", delta)).isNotEmpty();
  }
}
