package dev.backoff4j.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A tiny HTTP/1.1 test client for the mock; every call has a timeout so no test can hang. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT_BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
          + "{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  /** The Responses counterpart of {@link #CHAT_BODY}: the same instructions and user text. */
  static final String RESPONSES_BODY =
      "{\"model\":\"gpt-4o-mini\",\"instructions\":\"Be brief.\",\"input\":\"Say hello\"}";

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final MockServer server;

  Http(MockServer server) {
    this.server = server;
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  HttpResponse<String> post(String path, String body) throws IOException {
    return post(path, body, Map.of());
  }

  HttpResponse<String> chat() throws IOException {
    return post("/v1/chat/completions", CHAT_BODY);
  }

  HttpResponse<String> responses() throws IOException {
    return post("/v1/responses", RESPONSES_BODY);
  }

  HttpResponse<String> get(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build());
  }

  HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  URI uri(String path) {
    return server.rootUri().resolve(path);
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
