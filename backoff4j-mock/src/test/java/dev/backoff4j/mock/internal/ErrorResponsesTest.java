package dev.backoff4j.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void constantBodiesAreSerialisedOnceAndShared() {
    assertThat(ErrorResponses.forStatus(503)).isSameAs(ErrorResponses.forStatus(503));
    assertThat(ErrorResponses.forStatus(418)).isSameAs(ErrorResponses.forStatus(418));
    assertThat(ErrorResponses.forStatus(401)).isSameAs(ErrorResponses.unauthorized());
    assertThat(ErrorResponses.insufficientQuota()).isSameAs(ErrorResponses.insufficientQuota());
    assertThat(ErrorResponses.streamFailureJson(StreamFailure.RATE_LIMIT))
        .isSameAs(ErrorResponses.streamFailureJson(StreamFailure.RATE_LIMIT));
  }

  @Test
  void eachStatusHasTheErrorOpenAiWouldSend() throws Exception {
    assertThat(error(ErrorResponses.forStatus(503)).path("type").asText()).isEqualTo("server_error");
    assertThat(error(ErrorResponses.forStatus(599)).path("type").asText()).isEqualTo("server_error");
    assertThat(error(ErrorResponses.forStatus(429)).path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error(ErrorResponses.forStatus(404)).path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error(ErrorResponses.forStatus(401)).path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(error(ErrorResponses.insufficientQuota()).path("code").asText()).isEqualTo("insufficient_quota");
    assertThat(error(ErrorResponses.streamFailureJson(StreamFailure.FAILED)).path("type").asText())
        .isEqualTo("server_error");
    assertThatThrownBy(() -> ErrorResponses.forStatus(399)).hasMessageContaining("399");
    assertThatThrownBy(() -> ErrorResponses.forStatus(600)).hasMessageContaining("600");
  }

  @Test
  void bodiesNamingTheRequestAreWrittenPerRequest() throws Exception {
    JsonNode limited = error(ErrorResponses.rateLimited(true, 100, 250));
    JsonNode unknown = error(ErrorResponses.unknownUrl("GET", "/v1/x", "POST /v1/responses"));
    JsonNode invalid = error(ErrorResponses.invalidRequest("bad", "input"));

    assertThat(limited.path("message").asText()).contains("limit 100").contains("try again in 250ms");
    assertThat(limited.path("type").asText()).isEqualTo("tokens");
    assertThat(unknown.path("message").asText()).contains("GET /v1/x").contains("POST /v1/responses");
    assertThat(invalid.path("param").asText()).isEqualTo("input");
  }

  private static JsonNode error(byte[] body) throws Exception {
    return JSON.readTree(body).path("error");
  }
}
