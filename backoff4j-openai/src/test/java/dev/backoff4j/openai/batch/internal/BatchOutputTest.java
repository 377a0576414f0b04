package dev.backoff4j.openai.batch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.backoff4j.openai.batch.BatchResult;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchOutputTest {

  @TempDir
  Path dir;

  private static BatchResult ok(String customId) {
    return BatchResult.success(customId, 200, "req_1", JsonNodeFactory.instance.objectNode().put("ok", true));
  }

  @Test
  void aNewFileIsCreatedAndEachResultIsOneLine() throws Exception {
    Path file = dir.resolve("out.jsonl");
    try (BatchOutput output = BatchOutput.open(file)) {
      assertThat(output.written()).isEmpty();
      output.write(ok("a"));
      output.write(BatchResult.failure("b", 0, null, null, "connection_error", "refused"));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("\\{\"id\":\"batch_req_[0-9a-f]{32}\",\"custom_id\":\"a\",\"response\":"
        + "\\{\"status_code\":200,\"request_id\":\"req_1\",\"body\":\\{\"ok\":true}},\"error\":null}");
    assertThat(lines.get(1)).endsWith("\"custom_id\":\"b\",\"response\":null,\"error\":{\"code\":\"connection_error\","
        + "\"message\":\"refused\"}}");
  }

  @Test
  void reopeningReportsWhatIsWrittenAndWhetherItFailed() throws Exception {
    Path file = dir.resolve("out.jsonl");
    try (BatchOutput output = BatchOutput.open(file)) {
      output.write(ok("a"));
      output.write(BatchResult.failure("b", 429, "req_2", null, "insufficient_quota", "quota"));
    }
    try (BatchOutput output = BatchOutput.open(file)) {
      assertThat(output.written()).isEqualTo(Map.of("a", false, "b", true));
      assertThat(output.repairedBytes()).isZero();
    }
  }

  @Test
  void aTornLastLineIsRemovedBeforeAppending() throws Exception {
    Path file = dir.resolve("out.jsonl");
    try (BatchOutput output = BatchOutput.open(file)) {
      output.write(ok("a"));
    }
    Files.writeString(file, "{\"id\":\"batch_req_x\",\"custom_id\":\"b\",\"resp", java.nio.file.StandardOpenOption.APPEND);

    try (BatchOutput output = BatchOutput.open(file)) {
      assertThat(output.written()).containsOnlyKeys("a");
      assertThat(output.repairedBytes()).isEqualTo(41);
      output.write(ok("b"));
    }
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(2).allMatch(line -> line.endsWith("}"));
  }

  @Test
  void aCorruptCompleteLineIsReportedWithItsNumber() throws Exception {
    Path file = dir.resolve("out.jsonl");
    Files.writeString(file, "{\"custom_id\":\"a\",\"error\":null}\nnot json\n{\"no_id\":1}\n");

    assertThatThrownBy(() -> BatchOutput.open(file))
        .isInstanceOf(InvalidBatchFileException.class)
        .hasMessageContaining("line 2: not valid JSON")
        .hasMessageContaining("line 3: no custom_id");
  }
}
