package dev.backoff4j.openai.batch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.backoff4j.openai.batch.BatchFileProblem;
import dev.backoff4j.openai.batch.BatchResult;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchInputTest {

  @TempDir
  Path dir;

  @Test
  void validLinesBecomeRequestsInFileOrder() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, List.of(
        "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\"}}",
        "   ",
        "{\"custom_id\":\"b\",\"url\":\"/v1/embeddings\",\"body\":{\"input\":\"x\"}}"));

    List<BatchRequest> requests = BatchInput.read(file);

    assertThat(requests).extracting(BatchRequest::customId).containsExactly("a", "b");
    assertThat(requests).extracting(BatchRequest::line).containsExactly(1, 3);
    assertThat(requests).extracting(BatchRequest::path).containsExactly("/chat/completions", "/embeddings");
  }

  @Test
  void everyProblemIsListedWithItsLineNumber() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, List.of(
        "[1,2]",
        "{\"custom_id\":\"\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
        "{\"custom_id\":\"c\",\"url\":\"/v1/chat/completions\",\"body\":\"text\"}",
        "{\"custom_id\":\"d\",\"url\":\"/v1/chat/completions\",\"body\":{\"stream\":true}}",
        "{\"custom_id\":\"e\",\"body\":{}}"));

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> BatchInput.read(file));

    assertThat(e.problems()).extracting(BatchFileProblem::line).containsExactly(1, 2, 3, 4, 5);
    assertThat(e.problems()).extracting(BatchFileProblem::message).containsExactly(
        "not a JSON object",
        "custom_id must be a non-empty string",
        "body must be a JSON object",
        "body asks for \"stream\": true; a batch stores whole responses",
        "url is missing");
  }

  @Test
  void duplicateCustomIdsAreReportedEvenOnLinesWithOtherProblems() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, List.of(
        "{\"custom_id\":\"r1\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
        "{\"custom_id\":\"r1\",\"method\":\"GET\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
        "{\"custom_id\":\"r1\",\"url\":\"/v1/chat/completions\",\"body\":{}}"));

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> BatchInput.read(file));

    assertThat(e.problems()).extracting(BatchFileProblem::line).containsExactly(2, 2, 3);
    assertThat(e.problems()).extracting(BatchFileProblem::message).containsExactly(
        "duplicate custom_id 'r1' (first on line 1)",
        "method must be POST, was 'GET'",
        "duplicate custom_id 'r1' (first on line 1)");
  }

  @Test
  void theMessageListsTheFirstProblemsAndCountsTheRest() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, java.util.Collections.nCopies(25, "{"));

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> BatchInput.read(file));

    assertThat(e.problems()).hasSize(25);
    assertThat(e.getMessage()).contains("25 invalid lines").contains("line 20:").doesNotContain("line 21:")
        .contains("... and 5 more");
  }
}
