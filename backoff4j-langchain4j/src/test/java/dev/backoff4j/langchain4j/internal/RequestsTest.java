package dev.backoff4j.langchain4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.openai.http.Request;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RequestsTest {

  @Test
  void aJsonRequestKeepsMethodUrlWithQueryHeadersAndUtf8Body() {
    HttpRequest source = HttpRequest.builder().method(HttpMethod.POST)
        .url("http://127.0.0.1:9/v1/", "/chat/completions").addQueryParam("api-version", "2024 10")
        .addHeader("Authorization", "Bearer sk-x").addHeader("X-Multi", "a", "b")
        .body("{\"content\":\"héllo\"}").build();

    Request request = Requests.toBackoff4j(source, false);

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.url()).hasToString("http://127.0.0.1:9/v1/chat/completions?api-version=2024+10");
    assertThat(request.headers().all("authorization")).containsExactly("Bearer sk-x");
    assertThat(request.headers().all("x-multi")).containsExactly("a", "b");
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"content\":\"héllo\"}");
    assertThat(request.streaming()).isFalse();
  }

  @Test
  void aGetHasNoBody() {
    Request request = Requests.toBackoff4j(HttpRequest.builder().method(HttpMethod.GET)
        .url("http://127.0.0.1:9/v1/models").build(), false);
    assertThat(request.body()).isNull();
  }

  @Test
  void formFieldsAndFilesBecomeOneMultipartBodyWithItsBoundaryInTheContentType() {
    HttpRequest source = HttpRequest.builder().method(HttpMethod.POST)
        .url("http://127.0.0.1:9/v1/audio/transcriptions")
        .addHeader("Content-Type", "multipart/form-data; boundary=----LangChain4j")
        .addFormDataField("model", "whisper-1")
        .addFormDataField("odd \"name\"", "value")
        .addFormDataFile("file", "a.wav", "audio/wav", new byte[] {1, 2, 3})
        .build();

    Request request = Requests.toBackoff4j(source, false);

    String contentType = request.headers().first("content-type").orElseThrow();
    Matcher boundary = Pattern.compile("multipart/form-data; boundary=(backoff4j-[0-9a-f]{24})").matcher(contentType);
    assertThat(boundary.matches()).as(contentType).isTrue();
    String b = boundary.group(1);
    String body = new String(request.body(), StandardCharsets.ISO_8859_1);
    assertThat(body).isEqualTo(
        "--" + b + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
            + "--" + b + "\r\nContent-Disposition: form-data; name=\"odd %22name%22\"\r\n\r\nvalue\r\n"
            + "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
            + "Content-Type: audio/wav\r\n\r\n\u0001\u0002\u0003\r\n"
            + "--" + b + "--\r\n");
  }

  @Test
  void aRelativeUrlIsRefused() {
    assertThatThrownBy(() -> Requests.toBackoff4j(HttpRequest.builder().method(HttpMethod.GET)
        .url("/v1/models").build(), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not absolute");
  }
}
