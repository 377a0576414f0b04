package dev.backoff4j.openai.internal;

import static dev.backoff4j.openai.ServerInput.maybeText;
import static dev.backoff4j.openai.ServerInput.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.errors.RateLimitException;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** In-band stream errors with any code, type and message: a typed HTTP error with a 4xx or 5xx status. */
class StreamErrorsPropertiesTest {

  private static final Response RESPONSE = new Response(
      Request.postJson(URI.create("http://127.0.0.1/v1/responses"), new byte[0]).withStreaming(true), 200,
      Headers.empty(), ResponseBody.of(new byte[0]));

  @Test
  void anyErrorEventIsATypedHttpError() {
    qt().forAll(Generate.oneOf(maybeText(), arbitrary().pick("rate_limit_exceeded", "server_error",
            "insufficient_quota", "invalid_prompt", "requests", "tokens", "invalid_request_error", "error")),
        Generate.oneOf(maybeText(), arbitrary().pick("requests", "tokens", "server_error", "error")), maybeText(),
        arbitrary().pick("error", "response.failed", "chat"))
        .checkAssert((code, type, message, shape) -> {
          ObjectNode error = Json.MAPPER.createObjectNode().put("code", code).put("type", type).put("message", message);
          ObjectNode event = switch (shape) {
            case "error" -> error.deepCopy().put("type", "error");
            case "response.failed" -> {
              ObjectNode failed = Json.MAPPER.createObjectNode().put("type", "response.failed");
              failed.putObject("response").set("error", error);
              yield failed;
            }
            default -> {
              ObjectNode chat = Json.MAPPER.createObjectNode();
              chat.set("error", error);
              yield chat;
            }
          };
          Optional<OpenAiHttpException> found = StreamErrors.find(shape.equals("chat") ? null : shape, event,
              RESPONSE, Instant.EPOCH);
          assertThat(found).isPresent();
          int status = found.get().status();
          assertThat(status).isIn(400, 429, 500);
          assertThat(found.get() instanceof RateLimitException || found.get() instanceof QuotaExceededException)
              .isEqualTo(status == 429);
          found.get().hint().ifPresent(hint -> assertThat(hint.delay()).isPositive());
        });
  }
}
