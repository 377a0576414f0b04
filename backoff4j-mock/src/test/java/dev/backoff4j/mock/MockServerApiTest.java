package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The happy paths of the wire protocol, over real HTTP on 127.0.0.1. */
class MockServerApiTest {
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
  void chatCompletionEchoesTheLastUserMessage() throws Exception {
    start(Scenario.defaults());

    HttpResponse<String> response = http.chat();

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = Http.json(response);
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("id").asText()).startsWith("chatcmpl-");
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.path("created").asLong()).isPositive();
    assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Say hello");
    assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    // "Be brief." (9) + "Say hello" (9) = 18 chars → 5 tokens; reply 9 chars → 3 tokens.
    assertThat(body.path("usage").path("prompt_tokens").asLong()).isEqualTo(5);
    assertThat(body.path("usage").path("completion_tokens").asLong()).isEqualTo(3);
    assertThat(body.path("usage").path("total_tokens").asLong()).isEqualTo(8);
    assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
  }

  @Test
  void configuredReplyIsReturnedForEveryChoice() throws Exception {
    start(Scenario.builder().reply("Fixed answer").build());

    HttpResponse<String> response = http.post("/v1/chat/completions",
        "{\"model\":\"m1\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"ignored\"}]}");

    JsonNode choices = Http.json(response).path("choices");
    assertThat(choices).hasSize(2);
    assertThat(choices.get(1).path("index").asInt()).isEqualTo(1);
    assertThat(choices.get(1).path("message").path("content").asText()).isEqualTo("Fixed answer");
    assertThat(Http.json(response).path("model").asText()).isEqualTo("m1");
  }

  @Test
  void streamingSendsConfiguredChunksThenDone() throws Exception {
    start(Scenario.builder().reply("abcdefgh").streamChunks(4).build());

    HttpResponse<String> response = http.post("/v1/chat/completions",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<String> events = sseData(response.body());
    // 4 content chunks, a finish chunk, a usage chunk, [DONE]
    assertThat(events).hasSize(7);
    assertThat(events.get(6)).isEqualTo("[DONE]");
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      JsonNode chunk = Http.JSON.readTree(events.get(i));
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      content.append(chunk.path("choices").get(0).path("delta").path("content").asText());
    }
    assertThat(content).hasToString("abcdefgh");
    assertThat(Http.JSON.readTree(events.get(0)).path("choices").get(0).path("delta").path("role").asText())
        .isEqualTo("assistant");
    assertThat(Http.JSON.readTree(events.get(4)).path("choices").get(0).path("finish_reason").asText())
        .isEqualTo("stop");
    JsonNode usage = Http.JSON.readTree(events.get(5));
    assertThat(usage.path("choices")).isEmpty();
    assertThat(usage.path("usage").path("completion_tokens").asLong()).isEqualTo(2);
  }

  @Test
  void embeddingsAreDeterministicUnitVectors() throws Exception {
    start(Scenario.builder().embeddingDimensions(8).build());

    JsonNode first = Http.json(http.post("/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta\",\"alpha\"]}"));

    assertThat(first.path("object").asText()).isEqualTo("list");
    JsonNode data = first.path("data");
    assertThat(data).hasSize(3);
    assertThat(data.get(0).path("embedding")).hasSize(8);
    assertThat(data.get(0).path("embedding")).isEqualTo(data.get(2).path("embedding"));
    assertThat(data.get(0).path("embedding")).isNotEqualTo(data.get(1).path("embedding"));
    double norm = 0;
    for (JsonNode v : data.get(1).path("embedding")) {
      norm += v.asDouble() * v.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(first.path("usage").path("prompt_tokens").asLong()).isEqualTo(5);
  }

  @Test
  void embeddingsHonourDimensionsAndBase64() throws Exception {
    start(Scenario.defaults());

    JsonNode body = Http.json(http.post("/v1/embeddings",
        "{\"input\":\"x\",\"dimensions\":3,\"encoding_format\":\"base64\"}"));

    byte[] floats = java.util.Base64.getDecoder().decode(body.path("data").get(0).path("embedding").asText());
    assertThat(floats).hasSize(12);
  }

  @Test
  void modelsListsTheConfiguredModels() throws Exception {
    start(Scenario.builder().model("my-model").build());

    JsonNode body = Http.json(http.get("/v1/models"));

    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data").get(0).path("id").asText()).isEqualTo("my-model");
    assertThat(body.path("data").get(0).path("object").asText()).isEqualTo("model");
  }

  @Test
  void anyKeyIsAcceptedUnlessOneIsConfigured() throws Exception {
    start(Scenario.defaults());
    assertThat(http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("Authorization", "Bearer whatever"))
        .statusCode()).isEqualTo(200);
    server.scenario(Scenario.builder().apiKey("sk-right").build());

    HttpResponse<String> wrong =
        http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("Authorization", "Bearer sk-wrong"));
    HttpResponse<String> missing = http.chat();
    HttpResponse<String> right =
        http.post("/v1/chat/completions", Http.CHAT_BODY, Map.of("Authorization", "Bearer sk-right"));

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(Http.json(wrong).path("error").path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(wrong.headers().firstValue("x-request-id")).isPresent();
  }

  @Test
  void badRequestsGetOpenAiErrors() throws Exception {
    start(Scenario.defaults());

    HttpResponse<String> notJson = http.post("/v1/chat/completions", "{nope");
    HttpResponse<String> noMessages = http.post("/v1/chat/completions", "{\"model\":\"x\"}");
    HttpResponse<String> unknown = http.get("/v1/nothing-here");

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(Http.json(notJson).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(Http.json(noMessages).path("error").path("param").asText()).isEqualTo("messages");
    assertThat(unknown.statusCode()).isEqualTo(404);
    for (HttpResponse<String> response : List.of(notJson, noMessages, unknown)) {
      assertThat(response.headers().firstValue("x-request-id")).isPresent();
      assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
    }
  }

  @Test
  void everyApiResponseCarriesRateLimitHeaders() throws Exception {
    start(Scenario.builder().rateLimit(100, 10_000).build());

    HttpResponse<String> response = http.chat();

    assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).contains("100");
    assertThat(response.headers().firstValue("x-ratelimit-limit-tokens")).contains("10000");
    assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).contains("99");
    assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).contains(Long.toString(10_000 - 8));
    assertThat(response.headers().firstValue("x-ratelimit-reset-requests")).contains("600ms");
    assertThat(response.headers().firstValue("x-ratelimit-reset-tokens")).contains("48ms");
  }

  static List<String> sseData(String body) {
    List<String> data = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    return data;
  }
}
