package dev.backoff4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.testkit.VirtualTime;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real {@code OpenAiEmbeddingModel} (default {@code maxRetries} 2) on backoff4j's client. */
class EmbeddingModelTest {

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  private final VirtualTime time = new VirtualTime();

  private MockServer mock(String script) {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().embeddingDimensions(8).script(script).build());
    return mock;
  }

  @Test
  void embeddingsAreRetriedByBackoff4jAlone() {
    MockServer mock = mock("503,hint-ms:250,200");

    List<Embedding> embeddings = Models.embeddings(mock, Models.backoff4j(time))
        .embedAll(List.of(TextSegment.from("alpha"), TextSegment.from("beta"))).content();

    assertThat(embeddings).hasSize(2).allSatisfy(e -> assertThat(e.dimension()).isEqualTo(8));
    assertThat(embeddings.get(0).vector()).isNotEqualTo(embeddings.get(1).vector());
    assertThat(mock.stats().totalRequests()).isEqualTo(3);
    assertThat(time.sleeps()).hasSize(2).element(1).hasToString("PT0.25S");
  }

  @Test
  void aQuotaErrorIsOneRequest() {
    MockServer mock = mock("quota,quota,quota");

    Backoff4jRateLimitException e = catchThrowableOfType(Backoff4jRateLimitException.class,
        () -> Models.embeddings(mock, Models.backoff4j(time)).embed("alpha"));

    assertThat(e.isQuotaExceeded()).isTrue();
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }
}
