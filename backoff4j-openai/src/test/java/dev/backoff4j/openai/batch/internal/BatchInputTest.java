package dev.backoff4j.openai.batch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.batch.BatchFileProblem;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchInputTest {

  @TempDir
  Path dir;

  private static List<BatchRequest> all(Path file) throws IOException {
    BatchInput.Index index = BatchInput.check(file);
    List<BatchRequest> requests = new ArrayList<>();
    try (BatchInput.Pending pending = BatchInput.pending(file, index)) {
      for (BatchRequest request = pending.next(); request != null; request = pending.next()) {
        requests.add(request);
      }
    }
    return requests;
  }

  private static String line(String customId) {
    return "{\"custom_id\":\"" + customId + "\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\"}}";
  }

  @Test
  void validLinesBecomeRequestsInFileOrder() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, List.of(
        "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\"}}",
        "   ",
        "{\"custom_id\":\"b\",\"url\":\"/v1/embeddings\",\"body\":{\"input\":\"x\"}}",
        "{\"custom_id\":\"c\",\"url\":\"/v1/responses\",\"body\":{\"input\":\"y\"}}"));

    List<BatchRequest> requests = all(file);

    assertThat(requests).extracting(BatchRequest::customId).containsExactly("a", "b", "c");
    assertThat(requests).extracting(BatchRequest::line).containsExactly(1, 3, 4);
    assertThat(requests).extracting(BatchRequest::path).containsExactly("/chat/completions", "/embeddings", "/responses");
    assertThat(BatchInput.check(file).requests()).isEqualTo(3);
  }

  @Test
  void theBodyIsSentAsTheLineWroteIt() throws Exception {
    Path file = dir.resolve("in.jsonl");
    String body = "{ \"model\" : \"m\", \"temperature\": 0.10000, \"messages\": [{\"role\":\"user\",\"content\":\"h\\u00e9\"}] }";
    Files.writeString(file, "{\"custom_id\":\"a\",\"body\":" + body + ",\"url\":\"/v1/chat/completions\"}\r\n");

    assertThat(new String(all(file).get(0).body(), StandardCharsets.UTF_8)).isEqualTo(body);
  }

  @Test
  void everyProblemIsListedWithItsLineNumber() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, List.of(
        "[1,2]",
        "{\"custom_id\":\"\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
        "{\"custom_id\":\"c\",\"url\":\"/v1/chat/completions\",\"body\":\"text\"}",
        "{\"custom_id\":\"d\",\"url\":\"/v1/chat/completions\",\"body\":{\"stream\":true}}",
        "{\"custom_id\":\"e\",\"body\":{}}",
        "{\"custom_id\":\"f\",\"url\":\"/v1/chat/completions\",\"body\":{}}{\"x\":1}",
        "{\"custom_id\":\"g\",\"url\":\"/v1/chat/completions\",\"body\":{\"stream\":\"true\"}}"));

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> BatchInput.check(file));

    assertThat(e.problems()).extracting(BatchFileProblem::line).containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(e.problems()).extracting(BatchFileProblem::message).containsExactly(
        "not a JSON object",
        "custom_id must be a non-empty string",
        "body must be a JSON object",
        "body asks for \"stream\": true; a batch stores whole responses",
        "url is missing",
        "not valid JSON (more after the object)",
        "body asks for \"stream\": true; a batch stores whole responses");
  }

  @Test
  void duplicateCustomIdsAreReportedEvenOnLinesWithOtherProblems() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, List.of(
        "{\"custom_id\":\"r1\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
        "{\"custom_id\":\"r1\",\"method\":\"GET\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
        "{\"custom_id\":\"r1\",\"url\":\"/v1/chat/completions\",\"body\":{}}"));

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> BatchInput.check(file));

    assertThat(e.problems()).extracting(BatchFileProblem::line).containsExactly(2, 2, 3);
    assertThat(e.problems()).extracting(BatchFileProblem::message).containsExactly(
        "duplicate custom_id 'r1' (first on line 1)",
        "method must be POST, was 'GET'",
        "duplicate custom_id 'r1' (first on line 1)");
  }

  @Test
  void theMessageListsTheFirstProblemsAndCountsTheRest() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, Collections.nCopies(25, "{"));

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> BatchInput.check(file));

    assertThat(e.problems()).hasSize(25);
    assertThat(e.getMessage()).contains("25 invalid lines").contains("line 20:").doesNotContain("line 21:")
        .contains("... and 5 more");
  }

  @Test
  void aWrongFileOfManyLinesKeepsOnlyTheFirstProblemsButCountsThemAll() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, Collections.nCopies(5_000, "not json"));

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> BatchInput.check(file));

    assertThat(e.problems()).hasSize(InvalidBatchFileException.KEPT);
    assertThat(e.total()).isEqualTo(5_000);
    assertThat(e.getMessage()).contains("5000 invalid lines").contains("... and 4980 more");
  }

  @Test
  void textThatIsNotUtf8IsReportedWithItsLineAndByte() throws Exception {
    Path file = dir.resolve("in.jsonl");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes((line("a") + "\n").getBytes(StandardCharsets.UTF_8));
    String before = "{\"custom_id\":\"caf";
    bytes.writeBytes(before.getBytes(StandardCharsets.US_ASCII));
    bytes.write(0xe9); // é in Latin-1
    bytes.writeBytes("\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n".getBytes(StandardCharsets.US_ASCII));
    Files.write(file, bytes.toByteArray());

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> BatchInput.check(file));

    assertThat(e.getMessage()).startsWith(file + ": 1 invalid line")
        .contains("line 2: not valid UTF-8: byte 0xE9 at byte " + (before.length() + 1) + " of the line");
  }

  @Test
  void binaryDataIsReportedAsBinary() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, new byte[] {'P', 'K', 3, 4, 0, 0, (byte) 0x8b, '\n', (byte) 0xff, (byte) 0xd8});

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> BatchInput.check(file));

    assertThat(e.problems()).extracting(BatchFileProblem::toString).containsExactly(
        "line 1: binary data (a NUL byte at byte 5 of the line), not UTF-8 JSON text",
        "line 2: not valid UTF-8: byte 0xFF at byte 1 of the line (is the file in another encoding, such as "
            + "Latin-1 or UTF-16?)");
  }

  @Test
  void aUtf8ByteOrderMarkIsSkippedAndUtf16IsNamed() throws Exception {
    Path withMark = dir.resolve("bom.jsonl");
    Files.write(withMark, ("\ufeff" + line("a") + "\n").getBytes(StandardCharsets.UTF_8));
    assertThat(all(withMark)).extracting(BatchRequest::customId).containsExactly("a");

    Path utf16 = dir.resolve("utf16.jsonl");
    Files.write(utf16, ("\ufeff" + line("a")).getBytes(StandardCharsets.UTF_16LE));
    assertThatThrownBy(() -> BatchInput.check(utf16)).isInstanceOf(InvalidBatchFileException.class)
        .hasMessageContaining("line 1: the file starts with a UTF-16 byte order mark; save it as UTF-8");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> BatchInput.check(dir.resolve("nope.jsonl")))
        .isInstanceOf(IOException.class).hasMessage(dir.resolve("nope.jsonl") + ": the batch input does not exist");
  }

  @Test
  void aLineChangedBetweenTheCheckAndTheSendingStopsTheSending() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.write(file, List.of(line("a"), line("b")));
    BatchInput.Index index = BatchInput.check(file);
    Files.write(file, List.of(line("a"), line("x")));

    try (BatchInput.Pending pending = BatchInput.pending(file, index)) {
      assertThat(pending.next().customId()).isEqualTo("a");
      assertThatThrownBy(pending::next).isInstanceOf(IOException.class)
          .hasMessageContaining("changed while the batch ran (line 2");
    }
  }
}
