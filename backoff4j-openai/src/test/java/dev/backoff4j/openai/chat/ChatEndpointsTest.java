package dev.backoff4j.openai.chat;

import static dev.backoff4j.openai.TestSupport.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenApiSamples;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.embeddings.EmbeddingRequest;
import dev.backoff4j.openai.embeddings.EmbeddingResponse;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.internal.Json;
import dev.backoff4j.openai.models.Model;
import dev.backoff4j.testkit.VirtualTime;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Endpoints parse the API's documented example responses and send what the API expects. */
class ChatEndpointsTest {

  private final MockWebServer server = new MockWebServer();
  private final VirtualTime time = new VirtualTime();
  private OpenAiClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    client = TestSupport.client(server.url("/v1").toString(), TestSupport.preset(time)).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void reply(String contentType, String body) {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", contentType)
        .addHeader("x-request-id", "req_ok").body(body).build());
  }

  @Test
  void chatCompletionParsesTheDocumentedExample() throws Exception {
    reply("application/json", OpenApiSamples.response("/chat/completions", "post", "Default"));
    ChatCompletion completion = client.chat().create(
        ChatRequest.of("gpt-4o-mini", ChatMessage.system("Be brief."), ChatMessage.user("Hello!")).temperature(0.2));

    assertThat(completion.id()).isEqualTo("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    assertThat(completion.text()).isEqualTo("Hello! How can I assist you today?");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo("stop");
    assertThat(completion.usage()).isEqualTo(new Usage(19, 10, 29));
    assertThat(completion.raw().get("service_tier").asText()).isEqualTo("default"); // nothing lost

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(request.getHeaders().get("User-Agent")).matches("backoff4j/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)? Java/.+");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
    JsonNode body = Json.MAPPER.readTree(request.getBody().utf8());
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.get("messages").get(1).get("content").asText()).isEqualTo("Hello!");
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.has("stream")).isFalse();
  }

  @Test
  void streamingParsesTheDocumentedChunks() throws Exception {
    String sse = Arrays.stream(OpenApiSamples.response("/chat/completions", "post", "Streaming").split("\n"))
        .filter(line -> line.startsWith("{"))
        .map(line -> "data: " + line + "\n\n")
        .collect(Collectors.joining()) + "data: [DONE]\n\n";
    reply("text/event-stream", sse);
    try (ChatStream stream = client.chat().stream(ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hello!")))) {
      List<String> texts = stream.stream().map(ChatCompletionChunk::text).toList();
      assertThat(texts).containsExactly("", "Hello", "");
      assertThat(stream.chunks().get(2).isFinal()).isTrue();
      assertThat(stream.text()).isEqualTo("Hello");
      assertThat(stream.chunks().get(0).choices().get(0).role()).isEqualTo("assistant");
    }
    JsonNode body = Json.MAPPER.readTree(server.takeRequest().getBody().utf8());
    assertThat(body.get("stream").asBoolean()).isTrue();
  }

  @Test
  void streamingAsyncDeliversTheSameChunks() throws Exception {
    reply("text/event-stream", "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}]}\n\n"
        + "data: [DONE]\n\n");
    ChatStream stream = TestSupport.await(client.chat().streamAsync(ChatRequest.of("m", ChatMessage.user("x"))), time);
    assertThat(stream.readText()).isEqualTo("ab");
  }

  @Test
  void streamEventThatIsNotJsonIsMalformed() {
    reply("text/event-stream", "data: {\"id\":\"c\",\"choices\":[]}\n\ndata: <html>oops</html>\n\n");
    try (ChatStream stream = client.chat().stream(ChatRequest.of("m", ChatMessage.user("x")))) {
      MalformedResponseException e = catchThrowableOfType(MalformedResponseException.class, stream::readText);
      assertThat(e.getMessage()).startsWith("200 malformed response (req_ok): stream event is not JSON");
    }
  }

  @Test
  void anErrorEventEchoingTheRequestsOwnKeyIsMasked() {
    String azureKey = "0123456789abcdef0123456789abcdef"; // not sk-shaped: only the request's secrets catch it
    client = client.toBuilder().apiKey(azureKey).azure("2024-10-21").build();
    reply("text/event-stream", "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
        + "data: {\"error\":{\"message\":\"key " + azureKey + " revoked\",\"type\":\"server_error\"}}\n\n");
    try (ChatStream stream = client.chat().stream(ChatRequest.of("m", ChatMessage.user("x")))) {
      StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class, stream::readText);
      assertThat(e.getMessage() + e.getCause().getMessage()).doesNotContain(azureKey).contains("key *** revoked");
    }
  }

  @Test
  void anErrorLineBeforeTheFirstChunkIsRetriedAsTheErrorItDescribes() {
    reply("text/event-stream", "data: {\"error\":{\"message\":\"Rate limit reached. Please try again in 300ms.\","
        + "\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}\n\n");
    reply("text/event-stream", "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},"
        + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    assertThat(client.chat().stream(ChatRequest.of("m", ChatMessage.user("x"))).readText()).isEqualTo("ok");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(time.sleeps()).containsExactly(java.time.Duration.ofMillis(300)); // the message's hint
  }

  @Test
  void anErrorLineAfterTheFirstChunkIsARateLimitWhenItDescribesOne() {
    reply("text/event-stream", "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
        + "data: {\"error\":{\"message\":\"Please try again in 300ms.\",\"type\":\"requests\","
        + "\"code\":\"rate_limit_exceeded\"}}\n\n");
    try (ChatStream stream = client.chat().stream(ChatRequest.of("m", ChatMessage.user("x")))) {
      StreamInterruptedException e = catchThrowableOfType(StreamInterruptedException.class, stream::readText);
      assertThat(e.getCause()).isInstanceOf(dev.backoff4j.openai.errors.RateLimitException.class);
      assertThat(e.text()).isEqualTo("a");
    }
  }

  @Test
  void okWithHtmlIsMalformedAndNotRetried() {
    reply("text/html", "<html><body>Welcome to our captive portal</body></html>");
    MalformedResponseException e = catchThrowableOfType(MalformedResponseException.class,
        () -> client.chat().create(ChatRequest.of("m", ChatMessage.user("x"))));
    assertThat(e.getMessage()).contains("body is not JSON").contains("captive portal");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void okWithTheWrongJsonShapeIsMalformed() {
    reply("application/json", "{\"object\":\"list\",\"data\":[]}");
    MalformedResponseException e = catchThrowableOfType(MalformedResponseException.class,
        () -> client.chat().create(ChatRequest.of("m", ChatMessage.user("x"))));
    assertThat(e.getMessage()).contains("'choices' is missing");
  }

  @Test
  void embeddingsParseTheDocumentedExample() throws Exception {
    reply("application/json", OpenApiSamples.withoutElisions(OpenApiSamples.response("/embeddings", "post", null)));
    EmbeddingResponse response = client.embeddings().create(EmbeddingRequest.of("text-embedding-3-small", "hello"));
    assertThat(response.model()).isEqualTo("text-embedding-ada-002");
    assertThat(response.data()).hasSize(1);
    assertThat(response.data().get(0).vector()).containsExactly(0.0023064255f, -0.009327292f, -0.0028842222f);
    assertThat(response.usage().promptTokens()).isEqualTo(8);
    JsonNode body = Json.MAPPER.readTree(server.takeRequest().getBody().utf8());
    assertThat(body.get("input").get(0).asText()).isEqualTo("hello");
  }

  @Test
  void modelsParseTheDocumentedExample() throws Exception {
    reply("application/json", OpenApiSamples.withoutElisions(OpenApiSamples.response("/models", "get", null)));
    List<Model> models = client.models().list();
    assertThat(models).extracting(Model::id).contains("model-id-0", "model-id-1");
    assertThat(models.get(0).ownedBy()).isEqualTo("organization-owner");
    assertThat(server.takeRequest().getMethod()).isEqualTo("GET");
  }

  @Test
  void genericPostSendsAndReturnsJson() throws Exception {
    reply("application/json", "{\"id\":\"batch_1\",\"status\":\"validating\"}");
    JsonNode batch = client.post("/batches", Map.of("input_file_id", "file-1", "endpoint", "/v1/chat/completions"));
    assertThat(batch.get("status").asText()).isEqualTo("validating");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/batches");
    assertThat(Json.MAPPER.readTree(request.getBody().utf8()).get("input_file_id").asText()).isEqualTo("file-1");
  }

  @Test
  void organizationAndProjectHeadersAreSent() throws Exception {
    client = client.toBuilder().organization("org-1").project("proj-1").build();
    reply("application/json", "{\"data\":[]}");
    client.models().list();
    RecordedRequest request = server.takeRequest();
    assertThat(request.getHeaders().get("OpenAI-Organization")).isEqualTo("org-1");
    assertThat(request.getHeaders().get("OpenAI-Project")).isEqualTo("proj-1");
  }

  @Test
  void azureStyleUsesApiKeyHeaderAndApiVersion() throws Exception {
    client = client.toBuilder().baseUrl(server.url("/openai/deployments/gpt4o").toString())
        .azure("2024-10-21").build();
    reply("application/json", OpenApiSamples.response("/chat/completions", "post", "Default"));
    client.chat().create(ChatRequest.of("gpt-4o", ChatMessage.user("hi")));
    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/openai/deployments/gpt4o/chat/completions");
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2024-10-21");
    assertThat(request.getHeaders().get("api-key")).isEqualTo(KEY);
    assertThat(request.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void noKeyMeansNoCredentialHeader() throws Exception {
    client = client.toBuilder().apiKey(null).build();
    reply("application/json", "{\"data\":[]}");
    client.models().list();
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isNull();
  }
}
