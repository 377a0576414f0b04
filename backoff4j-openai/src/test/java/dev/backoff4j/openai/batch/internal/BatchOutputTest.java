package dev.backoff4j.openai.batch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.backoff4j.openai.batch.BatchResult;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import dev.backoff4j.openai.internal.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchOutputTest {

  private static final Secrets NO_SECRETS = Secrets.compile(List.of());

  @TempDir
  Path dir;

  private static BatchResult ok(String customId) {
    return BatchResult.success(customId, 200, "req_1", JsonNodeFactory.instance.objectNode().put("ok", true));
  }

  private static BatchResult failed(String customId, boolean retryable) {
    return BatchResult.failure(customId, retryable ? 503 : 400, "req_2", null, retryable ? "server_error" : "bad",
        "it failed", retryable);
  }

  /** An input with the custom_ids a, b, c, ... */
  private BatchInput.Index input(int requests) throws IOException {
    Path input = dir.resolve("in.jsonl");
    Files.write(input, IntStream.range(0, requests).mapToObj(i -> "{\"custom_id\":\"" + (char) ('a' + i)
        + "\",\"url\":\"/v1/chat/completions\",\"body\":{}}").toList());
    return BatchInput.check(input);
  }

  private BatchOutput open(Path file, BatchInput.Index index) throws IOException {
    return BatchOutput.open(file, index, false, NO_SECRETS);
  }

  /** The custom_ids of the requests the input still has to send. */
  private List<String> pending(BatchInput.Index index) throws IOException {
    List<String> ids = new ArrayList<>();
    try (BatchInput.Pending pending = BatchInput.pending(index.file(), index)) {
      for (BatchRequest request = pending.next(); request != null; request = pending.next()) {
        ids.add(request.customId());
      }
    }
    return ids;
  }

  @Test
  void aNewFileIsCreatedAndEachResultIsOneLine() throws Exception {
    Path file = dir.resolve("out.jsonl");
    try (BatchOutput output = open(file, input(2))) {
      assertThat(output.resume()).isEqualTo(new BatchOutput.Resume(0, 0, 0, 0));
      output.write(ok("a"));
      output.write(BatchResult.failure("b", 0, null, null, "connection_error", "refused", true));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("\\{\"id\":\"batch_req_[0-9a-f]{32}\",\"custom_id\":\"a\",\"response\":"
        + "\\{\"status_code\":200,\"request_id\":\"req_1\",\"body\":\\{\"ok\":true}},\"error\":null}");
    assertThat(lines.get(1)).endsWith("\"custom_id\":\"b\",\"response\":null,\"error\":{\"code\":\"connection_error\","
        + "\"message\":\"refused\",\"retryable\":true}}");
  }

  @Test
  void reopeningSkipsWhatIsWrittenAndCountsTheErrors() throws Exception {
    Path file = dir.resolve("out.jsonl");
    BatchInput.Index index = input(3);
    try (BatchOutput output = open(file, index)) {
      output.write(ok("a"));
      output.write(BatchResult.failure("b", 429, "req_2", null, "insufficient_quota", "quota", false));
    }
    BatchInput.Index again = BatchInput.check(index.file());
    try (BatchOutput output = open(file, again)) {
      assertThat(output.resume()).isEqualTo(new BatchOutput.Resume(2, 1, 0, 0));
    }
    assertThat(pending(again)).containsExactly("c");
  }

  @Test
  void aTornLastLineIsRemovedBeforeAppending() throws Exception {
    Path file = dir.resolve("out.jsonl");
    try (BatchOutput output = open(file, input(2))) {
      output.write(ok("a"));
    }
    Files.writeString(file, "{\"id\":\"batch_req_x\",\"custom_id\":\"b\",\"resp", StandardOpenOption.APPEND);

    BatchInput.Index index = BatchInput.check(dir.resolve("in.jsonl"));
    try (BatchOutput output = open(file, index)) {
      assertThat(output.resume().repairedBytes()).isEqualTo(41);
      assertThat(pending(index)).containsExactly("b");
      output.write(ok("b"));
    }
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(2).allMatch(line -> line.endsWith("}"));
  }

  @Test
  void aWholeLastLineWithoutItsLineBreakIsKeptAndEnded() throws Exception {
    Path file = dir.resolve("out.jsonl");
    String line = new String(ok("a").toLine(), StandardCharsets.UTF_8).strip();
    Files.writeString(file, line);

    BatchInput.Index index = input(2);
    try (BatchOutput output = open(file, index)) {
      assertThat(output.resume()).isEqualTo(new BatchOutput.Resume(1, 0, 0, 0));
      output.write(ok("b"));
    }
    assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo(line);
  }

  @Test
  void aFileThatIsNotBatchOutputIsRefusedAndLeftUnchanged() throws Exception {
    Path notes = dir.resolve("notes.md");
    String text = "# Notes\n\nsome thoughts\nthe last line has no line break";
    Files.writeString(notes, text);

    InvalidBatchFileException e = catchThrowableOfType(InvalidBatchFileException.class, () -> open(notes, input(1)));

    assertThat(e.getMessage()).startsWith(notes + ": not a batch output of " + dir.resolve("in.jsonl")
        + ", left unchanged").contains("line 1: not valid JSON")
        .contains("line 4: the last line, without a line break, is not a batch output line");
    assertThat(Files.readString(notes)).isEqualTo(text);
  }

  @Test
  void aCorruptCompleteLineIsRefusedEvenWhenTheLastLineLooksTorn() throws Exception {
    Path file = dir.resolve("out.jsonl");
    String content = new String(ok("a").toLine(), StandardCharsets.UTF_8) + "not json\n{\"no_id\":1}\n"
        + "{\"custom_id\":\"b\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n{\"id\":\"batch_req_";
    Files.writeString(file, content);

    assertThatThrownBy(() -> open(file, input(2)))
        .isInstanceOf(InvalidBatchFileException.class)
        .hasMessageContaining("line 2: not valid JSON")
        .hasMessageContaining("line 3: not a batch output line")
        .hasMessageContaining("line 4: not a batch output line");
    assertThat(Files.readString(file)).isEqualTo(content);
  }

  @Test
  void outputForOtherCustomIdsIsNotOutputOfThisInput() throws Exception {
    Path file = dir.resolve("out.jsonl");
    String content = new String(ok("a").toLine(), StandardCharsets.UTF_8)
        + new String(ok("zebra").toLine(), StandardCharsets.UTF_8);
    Files.writeString(file, content);

    assertThatThrownBy(() -> open(file, input(2)))
        .isInstanceOf(InvalidBatchFileException.class)
        .hasMessageContaining("line 2: custom_id 'zebra' is not in " + dir.resolve("in.jsonl"));
    assertThat(Files.readString(file)).isEqualTo(content);
  }

  @Test
  void aCustomIdTwiceInTheOutputIsRefused() throws Exception {
    Path file = dir.resolve("out.jsonl");
    Files.write(file, List.of(ok("a").toJson().toString(), ok("b").toJson().toString(), ok("a").toJson().toString()));

    assertThatThrownBy(() -> open(file, input(2)))
        .isInstanceOf(InvalidBatchFileException.class)
        .hasMessageContaining("line 3: custom_id 'a' again (first on line 1)");
  }

  @Test
  void aMissingDirectoryIsNamed() {
    Path file = dir.resolve("no-such-dir").resolve("out.jsonl");

    assertThatThrownBy(() -> open(file, input(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the directory " + dir.resolve("no-such-dir") + " does not exist");
  }

  @Test
  void aSecondRunOnTheSameOutputIsRefusedWhileTheFirstHasItOpen() throws Exception {
    Path file = dir.resolve("out.jsonl");
    BatchInput.Index index = input(1);
    try (BatchOutput first = open(file, index)) {
      assertThatThrownBy(() -> open(file, index)).isInstanceOf(IOException.class)
          .hasMessageContaining("is being written by another batch run");
    }
    open(file, index).close(); // free again
  }

  @Test
  void retryingErrorsRemovesOnlyTheRecoverableOnesAtomically() throws Exception {
    Path file = dir.resolve("out.jsonl");
    BatchInput.Index index = input(4);
    try (BatchOutput output = open(file, index)) {
      output.write(ok("a"));
      output.write(failed("b", true));
      output.write(failed("c", false));
      output.write(failed("d", true));
    }
    List<String> before = Files.readAllLines(file);

    BatchInput.Index again = BatchInput.check(index.file());
    try (BatchOutput output = BatchOutput.open(file, again, true, NO_SECRETS)) {
      assertThat(output.resume()).isEqualTo(new BatchOutput.Resume(2, 1, 2, 0));
      assertThat(pending(again)).containsExactly("b", "d");
      assertThat(Files.readAllLines(file)).containsExactly(before.get(0), before.get(2));
      output.write(ok("b"));
    }
    assertThat(Files.readAllLines(file)).hasSize(3);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("in.jsonl", "out.jsonl");
    }
  }

  @Test
  void errorLinesWithoutRetryableAreJudgedByStatusAndCode() throws Exception {
    Path file = dir.resolve("out.jsonl");
    Files.write(file, List.of(
        "{\"id\":\"batch_req_1\",\"custom_id\":\"a\",\"response\":{\"status_code\":503,\"body\":{}},\"error\":{\"code\":\"x\"}}",
        "{\"id\":\"batch_req_2\",\"custom_id\":\"b\",\"response\":{\"status_code\":429,\"body\":{}},"
            + "\"error\":{\"code\":\"insufficient_quota\"}}",
        "{\"id\":\"batch_req_3\",\"custom_id\":\"c\",\"response\":null,\"error\":{\"code\":\"timeout\"}}",
        "{\"id\":\"batch_req_4\",\"custom_id\":\"d\",\"response\":{\"status_code\":400,\"body\":{}},\"error\":{\"code\":\"y\"}}"));

    BatchInput.Index index = input(4);
    try (BatchOutput output = BatchOutput.open(file, index, true, NO_SECRETS)) {
      assertThat(pending(index)).containsExactly("a", "c");
    }
  }

  @Test
  void aSymlinkedOutputStaysALinkWhenErrorsAreRemoved() throws Exception {
    Path real = Files.createDirectory(dir.resolve("real")).resolve("results.jsonl");
    Path link = Files.createSymbolicLink(dir.resolve("out.jsonl"), real);
    BatchInput.Index index = input(2);
    try (BatchOutput output = open(link, index)) {
      output.write(ok("a"));
      output.write(failed("b", true));
    }
    try (BatchOutput output = BatchOutput.open(link, BatchInput.check(index.file()), true, NO_SECRETS)) {
      output.write(ok("b"));
    }
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readAllLines(real)).hasSize(2).noneMatch(line -> line.contains("\"error\":{"));
  }

  @Test
  void everyLineIsMaskedAsItIsWritten() throws Exception {
    String key = "0123456789abcdef0123456789abcdef";
    Path file = dir.resolve("out.jsonl");
    try (BatchOutput output = BatchOutput.open(file, input(1), false, Secrets.compile(List.of(key)))) {
      output.write(BatchResult.success("a", 200, "req", TextNode.valueOf("you sent " + key)));
    }
    assertThat(Files.readString(file)).doesNotContain(key).contains("you sent ***");
  }
}
