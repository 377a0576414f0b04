package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminEndpointsTest {
  private MockServer server;
  private Http http;

  @BeforeEach
  void start() {
    server = MockServer.start(Scenario.builder().script("503").build());
    http = new Http(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void statsCountRequestsByStatusAndFaultKind() throws Exception {
    http.chat();
    http.chat();

    JsonNode stats = Http.json(http.get("/_mock/stats"));

    assertThat(stats.path("totalRequests").asLong()).isEqualTo(2);
    assertThat(stats.path("byStatus").path("200").asLong()).isEqualTo(1);
    assertThat(stats.path("byStatus").path("503").asLong()).isEqualTo(1);
    assertThat(stats.path("byFault").path("503").asLong()).isEqualTo(1);
    assertThat(stats.path("rateLimited").asLong()).isZero();
    assertThat(stats.has("requests")).isFalse();
  }

  @Test
  void statsListRequestTimestampsOnRequest() throws Exception {
    http.chat();
    http.get("/v1/models");

    JsonNode requests = Http.json(http.get("/_mock/stats?requests=true")).path("requests");

    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).path("status").asInt()).isEqualTo(503);
    assertThat(requests.get(0).path("fault").asText()).isEqualTo("503");
    assertThat(requests.get(1).path("path").asText()).isEqualTo("/v1/models");
    assertThat(requests.get(1).path("sinceStartNanos").asLong())
        .isGreaterThanOrEqualTo(requests.get(0).path("sinceStartNanos").asLong());
    assertThat(requests.get(0).path("at").asText()).endsWith("Z");
  }

  @Test
  void scenarioCanBeReplacedAtRuntime() throws Exception {
    HttpResponse<String> replaced = http.post("/_mock/scenario", "{\"reply\":\"new\",\"script\":\"418\"}");

    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(http.chat().statusCode()).isEqualTo(418);
    assertThat(Http.json(http.chat()).at("/choices/0/message/content").asText()).isEqualTo("new");
    assertThat(server.scenario().reply()).contains("new");
  }

  @Test
  void invalidScenarioIsRejectedWithTheReason() throws Exception {
    HttpResponse<String> rejected = http.post("/_mock/scenario", "{\"script\":\"999\"}");

    assertThat(rejected.statusCode()).isEqualTo(400);
    assertThat(Http.json(rejected).at("/error/message").asText()).contains("'999'");
    assertThat(http.chat().statusCode()).isEqualTo(503);
  }

  @Test
  void resetClearsStatsAndRestartsTheScript() throws Exception {
    http.chat();

    HttpResponse<String> reset = http.post("/_mock/reset", "");

    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(server.stats().totalRequests()).isZero();
    assertThat(http.chat().statusCode()).isEqualTo(503);
  }

  @Test
  void adminRequestsAreNeitherFaultedNorCounted() throws Exception {
    assertThat(http.get("/_mock/stats").statusCode()).isEqualTo(200);
    assertThat(http.get("/_mock/nope").statusCode()).isEqualTo(404);

    assertThat(server.stats().totalRequests()).isZero();
    assertThat(http.chat().statusCode()).isEqualTo(503);
  }
}
