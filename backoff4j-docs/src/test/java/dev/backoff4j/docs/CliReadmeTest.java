package dev.backoff4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

// tag::batch-runner[]
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.batch.BatchListener;
import dev.backoff4j.openai.batch.BatchProgress;
import dev.backoff4j.openai.batch.BatchResult;
import dev.backoff4j.openai.batch.BatchRunner;
import dev.backoff4j.openai.pacing.Pacer;
import java.io.IOException;
import java.nio.file.Path;
// end::batch-runner[]

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backoff4j-cli/README.md: the batch runner as a library. */
class CliReadmeTest {

  @Test
  void batchRunner(@TempDir Path dir) throws Exception {
    MockServer mock = Docs.envMock(Scenario.builder().script("503,200").build());
    Path input = Files.write(dir.resolve("requests.jsonl"), List.of(
        line("a", "one"), line("b", "two"), line("c", "three")));
    Path output = dir.resolve("results.jsonl");

    assertThat(runBatch(input, output)).isTrue();

    assertThat(Files.readAllLines(output)).hasSize(3);
    assertThat(mock.stats().totalRequests()).as("3 lines, one 503 retried").isEqualTo(4);
  }

  // tag::batch-runner[]

  static boolean runBatch(Path input, Path output) throws IOException, InterruptedException {
    BatchProgress done = BatchRunner.builder()
        .client(OpenAiClient.builder().pacer(Pacer.builder().requestsPerMinute(5000).build()).build())
        .input(input)                   // an OpenAI Batch API file: one request per line
        .output(output)                 // appended to; a second run skips the lines already there
        .concurrency(32)
        .listener(new BatchListener() {
          @Override public void onResult(BatchResult result, BatchProgress progress) { /* ... */ }
        })
        .build()
        .run();     // throws InvalidBatchFileException (all bad lines), IOException, InterruptedException
    return done.allSucceeded();
  }
  // end::batch-runner[]

  private static String line(String id, String prompt) {
    return "{\"custom_id\":\"" + id + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
        + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}}";
  }
}
