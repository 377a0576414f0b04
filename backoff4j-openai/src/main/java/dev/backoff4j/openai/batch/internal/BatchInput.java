package dev.backoff4j.openai.batch.internal;

import com.fasterxml.jackson.core.JsonToken;
import dev.backoff4j.openai.batch.BatchFileProblem;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a batch input file in the OpenAI Batch API format, one request per line:
 * {@code {"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions", "body": {...}}}, in two
 * streaming passes so memory does not grow with the file: {@link #check} reads every line and keeps
 * only each {@code custom_id}'s digest and line ({@link IdTable}); {@link #pending} reads it again and
 * hands out the requests one at a time, as they are sent.
 *
 * <p>The whole file is checked before anything is sent. Blank lines are skipped. Every problem is
 * reported with its line number: text that is not UTF-8 (or binary data), invalid JSON, a missing,
 * empty or duplicate {@code custom_id}, a method other than {@code POST}, an unsupported {@code url},
 * a body that is not an object, or a body asking for {@code "stream": true} (a batch stores whole
 * responses).
 */
public final class BatchInput {

  /** The JSON endpoints a batch can call; the Batch API's multipart and asynchronous ones are left out. */
  public static final Set<String> SUPPORTED_URLS = Set.of(
      "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/responses", "/v1/moderations");

  private static final String SUPPORTED = String.join(", ", SUPPORTED_URLS.stream().sorted().toList());

  private BatchInput() {}

  /**
   * Checks every line of {@code file}.
   *
   * @return the input's {@code custom_id}s, for resuming the output and for {@link #pending}
   * @throws InvalidBatchFileException listing the invalid lines (the first {@value InvalidBatchFileException#KEPT})
   * @throws IOException if the file cannot be read; the message names it
   */
  public static Index check(Path file) throws IOException {
    IdTable ids = new IdTable();
    List<BatchFileProblem> problems = new ArrayList<>();
    long[] total = {0};
    try (LineReader reader = open(file)) {
      for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
        if (line.problem() != null) {
          report(problems, total, line.number(), line.problem());
          continue;
        }
        if (line.isBlank()) {
          continue;
        }
        InputLine parsed = InputLine.parse(line.bytes(), line.length());
        for (String problem : problems(parsed, line.number(), ids)) {
          report(problems, total, line.number(), problem);
        }
      }
    }
    if (total[0] > 0) {
      throw new InvalidBatchFileException(file, problems, total[0], null);
    }
    return new Index(file, ids);
  }

  /**
   * The requests of a checked {@code file} that {@code index} has no output for, in file order.
   *
   * @throws IOException if the file cannot be read
   */
  public static Pending pending(Path file, Index index) throws IOException {
    return new Pending(file, index, open(file));
  }

  private static LineReader open(Path file) throws IOException {
    try {
      return new LineReader(Files.newInputStream(file));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "the batch input does not exist");
    } catch (IOException e) {
      throw new IOException("cannot read batch input " + file + ": " + e, e);
    }
  }

  private static void report(List<BatchFileProblem> problems, long[] total, int line, String problem) {
    total[0]++;
    if (problems.size() < InvalidBatchFileException.KEPT) {
      problems.add(new BatchFileProblem(line, problem));
    }
  }

  /** A custom_id is claimed by its first line even when that line has other problems. */
  private static List<String> problems(InputLine line, int number, IdTable ids) {
    if (line.problem != null) {
      return List.of(line.problem);
    }
    List<String> problems = new ArrayList<>(1);
    if (line.customIdToken == null || line.customIdToken == JsonToken.VALUE_NULL) {
      problems.add("custom_id is missing");
    } else if (line.customIdToken != JsonToken.VALUE_STRING || line.customId.isEmpty()) {
      problems.add("custom_id must be a non-empty string");
    } else {
      int first = ids.add(line.customId, number);
      if (first != 0) {
        problems.add("duplicate custom_id '" + line.customId + "' (first on line " + first + ")");
      }
    }
    if (line.methodToken != null && line.methodToken != JsonToken.VALUE_NULL && !"POST".equals(line.method)) {
      problems.add("method must be POST, was '" + line.method + "'");
    }
    if (line.urlToken != JsonToken.VALUE_STRING) {
      problems.add("url is missing");
    } else if (!SUPPORTED_URLS.contains(line.url)) {
      problems.add("unsupported url '" + line.url + "' (supported: " + SUPPORTED + ")");
    }
    if (!line.bodyIsObject) {
      problems.add("body must be a JSON object");
    } else if (line.bodyStreams) {
      problems.add("body asks for \"stream\": true; a batch stores whole responses");
    }
    return problems;
  }

  /** The {@code custom_id}s of a checked input, and what the output holds for each. */
  public static final class Index {
    private final Path file;
    private final IdTable ids;

    private Index(Path file, IdTable ids) {
      this.file = file;
      this.ids = ids;
    }

    /** How many requests the input has. */
    public int requests() {
      return ids.size();
    }

    public Path file() {
      return file;
    }

    IdTable ids() {
      return ids;
    }

    @Override
    public String toString() {
      return "BatchInput.Index[" + file + ", " + ids.size() + " requests]";
    }
  }

  /** The second pass: each request still to send, read when it is needed. */
  public static final class Pending implements Closeable {
    private final Path file;
    private final Index index;
    private final LineReader reader;

    private Pending(Path file, Index index, LineReader reader) {
      this.file = file;
      this.index = index;
      this.reader = reader;
    }

    /**
     * The next request without output, or {@code null} after the last.
     *
     * @throws IOException if the file cannot be read, or changed since it was checked
     */
    public BatchRequest next() throws IOException {
      for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
        if (line.problem() == null && line.isBlank()) {
          continue;
        }
        InputLine parsed = line.problem() == null ? InputLine.parse(line.bytes(), line.length()) : null;
        int slot = parsed == null || parsed.customIdToken != JsonToken.VALUE_STRING ? -1 : index.ids.find(parsed.customId);
        if (slot < 0 || index.ids.inputLine(slot) != line.number() || parsed.problem != null || !parsed.bodyIsObject
            || parsed.urlToken != JsonToken.VALUE_STRING || !SUPPORTED_URLS.contains(parsed.url)) {
          throw new IOException(file + " changed while the batch ran (line " + line.number()
              + " is not what was checked); the requests not yet sent are sent on the next run");
        }
        if (index.ids.state(slot) == IdTable.ABSENT) {
          return new BatchRequest(line.number(), parsed.customId, parsed.url, parsed.body(line.bytes()));
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }

    @Override
    public String toString() {
      return "BatchInput.Pending[" + file + "]";
    }
  }
}
