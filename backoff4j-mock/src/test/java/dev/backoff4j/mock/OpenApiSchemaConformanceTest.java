package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mock's bodies validate against the shared OpenAI OpenAPI description's schemas. */
class OpenApiSchemaConformanceTest {
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
  }
}
