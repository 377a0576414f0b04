package dev.backoff4j.openai.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.ApiError;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.http.Headers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request's own credentials never survive into anything read from an error response. */
class ErrorResponsesMaskingTest {

  private static final String AZURE_KEY = "0123456789abcdef0123456789abcdef"; // not sk-shaped

  private static ApiError read(int status, String body) {
    return ErrorResponses.read(status, Headers.empty(), body.getBytes(StandardCharsets.UTF_8), Instant.now(),
        List.of(AZURE_KEY));
  }

  @Test
  void aKeyEchoedInCodeTypeParamAndMessageIsMaskedInEachAndInTheKeptBody() {
    ApiError error = read(401, "{\"error\":{\"message\":\"key " + AZURE_KEY + " is wrong\",\"type\":\"" + AZURE_KEY
        + "\",\"param\":\"" + AZURE_KEY + "\",\"code\":\"" + AZURE_KEY + "\"}}");

    assertThat(error.code()).isEqualTo("***");
    assertThat(error.type()).isEqualTo("***");
    assertThat(error.param()).isEqualTo("***");
    assertThat(error.message()).isEqualTo("key *** is wrong");
    assertThat(new String(error.body(), StandardCharsets.UTF_8)).doesNotContain(AZURE_KEY);
    OpenAiHttpException exception = OpenAiClassifier.toException(error);
    assertThat(exception.getMessage() + exception.summary() + new String(exception.body(), StandardCharsets.UTF_8))
        .doesNotContain(AZURE_KEY);
  }

  @Test
  void aKeyInATextBodyIsMasked() {
    ApiError error = read(500, "upstream said: bad key " + AZURE_KEY);

    assertThat(error.message()).isEqualTo("upstream said: bad key ***");
    assertThat(new String(error.body(), StandardCharsets.UTF_8)).isEqualTo("upstream said: bad key ***");
  }

  @Test
  void aUrlEncodedKeyIsMasked() {
    String key = "abc/def+ghi=jkl";
    ApiError error = ErrorResponses.read(400, Headers.empty(),
        ("{\"error\":{\"message\":\"GET /x?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "\"}}")
            .getBytes(StandardCharsets.UTF_8), Instant.now(), List.of(key));

    assertThat(error.message()).isEqualTo("GET /x?key=***");
  }
}
