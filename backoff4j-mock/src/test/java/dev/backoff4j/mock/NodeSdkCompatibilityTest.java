package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official {@code openai} npm package against the mock. The build installs the package into
 * {@code target/node} (see install-openai.sh); without node or the package this test is skipped
 * with a message, never failed.
 */
class NodeSdkCompatibilityTest {

  @Test
  void officialNodeSdkReadsChatResponsesStreamsEmbeddingsModelsAndA429() throws Exception {
    Path installDir = Path.of(System.getProperty("backoff4j.node.dir", "target/node"));
    Path script = Path.of(System.getProperty("backoff4j.node.script", "src/test/node/sdk-check.mjs"));
    assumeTrue(nodeAvailable(), "node is not installed: skipping the openai npm compatibility test");
    assumeTrue(Files.exists(installDir.resolve("node_modules/openai/package.json")),
        "the openai npm package is not installed in " + installDir + ": skipping (see install-openai.sh)");

    Scenario scenario = Scenario.builder()
        .reply("node reply")
        .streamChunks(3)
        .script("200,200,200,200,200,200,200,sse-failed:5,hint-ms:1500")
        .build();
    try (MockServer server = MockServer.start(scenario)) {
      Process node = new ProcessBuilder("node", script.toString(), installDir.toAbsolutePath().toString(),
          server.baseUrl())
          .redirectErrorStream(false)
          .start();
      boolean finished = node.waitFor(60, TimeUnit.SECONDS);
      if (!finished) {
        node.destroyForcibly();
      }
      String stdout = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String stderr = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(finished).as("node finished within 60 s").isTrue();
      assertThat(node.exitValue()).as("node exit code; stderr:%n%s", stderr).isZero();

      JsonNode result = Http.JSON.readTree(stdout);
      assertThat(result.at("/chat/object").asText()).isEqualTo("chat.completion");
      assertThat(result.at("/chat/content").asText()).isEqualTo("node reply");
      assertThat(result.at("/chat/finishReason").asText()).isEqualTo("stop");
      assertThat(result.at("/chat/totalTokens").asInt()).isPositive();
      assertThat(result.at("/stream/content").asText()).isEqualTo("node reply");
      assertThat(result.at("/stream/chunks").asInt()).isEqualTo(4);
      assertThat(result.at("/embeddings/count").asInt()).isEqualTo(2);
      assertThat(result.at("/embeddings/dimensions").asInt()).isEqualTo(8);
      assertThat(result.at("/models/0").asText()).isEqualTo("gpt-4o-mini");
      assertThat(result.at("/responses/object").asText()).isEqualTo("response");
      assertThat(result.at("/responses/id").asText()).startsWith("resp_");
      assertThat(result.at("/responses/status").asText()).isEqualTo("completed");
      assertThat(result.at("/responses/outputText").asText()).isEqualTo("node reply");
      assertThat(result.at("/responses/totalTokens").asInt()).isPositive();
      JsonNode types = result.at("/responseStream/types");
      assertThat(types).hasSize(11); // created, in_progress, item added, part added, 3 deltas, 4 done/completed
      assertThat(types.get(0).asText()).isEqualTo("response.created");
      assertThat(types.get(10).asText()).isEqualTo("response.completed");
      JsonNode sequence = result.at("/responseStream/sequenceNumbers");
      for (int i = 0; i < sequence.size(); i++) {
        assertThat(sequence.get(i).asInt()).isEqualTo(i);
      }
      assertThat(result.at("/responseStream/deltas").asText()).isEqualTo("node reply");
      assertThat(result.at("/responseStream/completedText").asText()).isEqualTo("node reply");
      assertThat(result.at("/responseHelper/deltas").asText()).isEqualTo("node reply");
      assertThat(result.at("/responseHelper/outputText").asText()).isEqualTo("node reply");
      assertThat(result.at("/responseHelper/status").asText()).isEqualTo("completed");
      assertThat(result.at("/responseFailed/type").asText()).isEqualTo("response.failed");
      assertThat(result.at("/responseFailed/sequenceNumber").asInt()).isEqualTo(5);
      assertThat(result.at("/responseFailed/status").asText()).isEqualTo("failed");
      assertThat(result.at("/responseFailed/errorCode").asText()).isEqualTo("server_error");
      assertThat(result.at("/rateLimit/thrown").asBoolean()).isTrue();
      assertThat(result.at("/rateLimit/isRateLimitError").asBoolean()).isTrue();
      assertThat(result.at("/rateLimit/status").asInt()).isEqualTo(429);
      assertThat(result.at("/rateLimit/code").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(result.at("/rateLimit/retryAfterMs").asText()).isEqualTo("1500");
      assertThat(result.at("/rateLimit/limitRequests").asText()).isNotEmpty();
      assertThat(result.at("/rateLimit/requestId").asText()).startsWith("req_");
    }
  }

  private static boolean nodeAvailable() {
    try {
      Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
