package dev.backoff4j.langchain4j.internal;

import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.langchain4j.http.client.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** LangChain4j's request as backoff4j's: same method, absolute URL, headers (its credentials included) and body. */
final class Requests {

  private Requests() {}

  /**
   * @throws IllegalArgumentException if the URL is not an absolute URI
   */
  static Request toBackoff4j(HttpRequest request, boolean streaming) {
    URI url = URI.create(request.url());
    if (!url.isAbsolute()) {
      throw new IllegalArgumentException("LangChain4j request URL is not absolute: " + url);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    request.headers().forEach((name, values) -> {
      if (name != null && values != null) {
        headers.put(name, values.stream().filter(value -> value != null).toList());
      }
    });
    Headers converted = Headers.of(headers);
    byte[] body = null;
    boolean form = !request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty();
    if (form) {
      Multipart multipart = Multipart.of(request.formDataFields(), request.formDataFiles());
      converted = converted.with("content-type", multipart.contentType());
      body = multipart.body();
    } else if (request.body() != null) {
      body = request.body().getBytes(StandardCharsets.UTF_8);
    }
    return new Request(request.method().name(), url, converted, body, streaming);
  }
}
