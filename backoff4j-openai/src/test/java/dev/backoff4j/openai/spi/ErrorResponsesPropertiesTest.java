package dev.backoff4j.openai.spi;

import static dev.backoff4j.openai.ServerInput.bytes;
import static dev.backoff4j.openai.ServerInput.maybeText;
import static dev.backoff4j.openai.ServerInput.qt;
import static dev.backoff4j.openai.ServerInput.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.ApiError;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Error bodies of any shape: an ApiError with what could be read, never an exception. */
class ErrorResponsesPropertiesTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String KEY = "sk-proj-SECRETSECRETSECRET";
  private static final List<String> SECRETS = List.of("Bearer " + KEY, KEY);

  /** A JSON value of any kind for an error field: text, numbers, booleans, null, objects, arrays. */
  private static Gen<JsonNode> value() {
    Gen<JsonNode> text = text().map(s -> Json.MAPPER.getNodeFactory().textNode(s));
    Gen<JsonNode> number = integers().all().map(n -> Json.MAPPER.getNodeFactory().numberNode(n));
    Gen<JsonNode> constant = arbitrary().pick(List.<JsonNode>of(Json.MAPPER.getNodeFactory().nullNode(),
        Json.MAPPER.getNodeFactory().booleanNode(true), Json.MAPPER.createObjectNode(), Json.MAPPER.createArrayNode(),
        Json.MAPPER.getNodeFactory().textNode("rate_limit_exceeded"),
        Json.MAPPER.getNodeFactory().textNode("insufficient_quota"),
        Json.MAPPER.getNodeFactory().textNode("key " + KEY + " is wrong; try again in 1.5s")));
    return Generate.oneOf(text, number, constant, constant);
  }

  private static Gen<byte[]> jsonBodies() {
    return value().zip(value(), value(), value(), (message, type, code, param) -> {
      ObjectNode error = Json.MAPPER.createObjectNode();
      error.set("message", message);
      error.set("type", type);
      error.set("code", code);
      error.set("param", param);
      return error;
    }).zip(arbitrary().pick(0, 1, 2), (error, wrapping) -> {
      JsonNode body = switch (wrapping) {
        case 0 -> Json.MAPPER.createObjectNode().set("error", error);
        case 1 -> error;
        default -> Json.MAPPER.createObjectNode().set("error", error.get("message"));
      };
      return body.toString().getBytes(StandardCharsets.UTF_8);
    });
  }

  private static void check(int status, byte[] body, String retryAfter) {
    Headers headers = retryAfter == null ? Headers.empty() : Headers.empty().with("retry-after", retryAfter);
    ApiError error = ErrorResponses.read(status, headers, body, NOW, SECRETS);
    assertThat(error.status()).isEqualTo(status);
    error.hint().ifPresent(hint -> assertThat(hint.delay()).isPositive());
    if (error.message() != null) {
      assertThat(error.message()).doesNotContain(KEY);
    }
    assertThat(OpenAiClassifier.toException(error).getMessage()).isNotNull();
    assertThat(OpenAiClassifier.classify(error)).isNotNull();
  }

  @Test
  void anyBytesReadAsAnError() {
    qt().forAll(integers().between(100, 599), bytes(), maybeText()).checkAssert(ErrorResponsesPropertiesTest::check);
  }

  @Test
  void jsonOfAnyShapeReadsAsAnError() {
    qt().forAll(integers().between(400, 599), jsonBodies(), maybeText()).checkAssert(ErrorResponsesPropertiesTest::check);
  }

  @Test
  void errorBodyParseOfAnyTextIsABodyOrNothing() {
    qt().forAll(text()).checkAssert(text -> assertThat(ErrorBody.parse(text)).isNotNull());
    qt().forAll(jsonBodies()).checkAssert(json ->
        assertThat(ErrorBody.parse(new String(json, StandardCharsets.UTF_8))).isNotNull());
  }
}
