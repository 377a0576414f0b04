package dev.backoff4j.openai.batch.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.batch.BatchFileProblem;
import dev.backoff4j.openai.batch.BatchResult;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import dev.backoff4j.openai.internal.Json;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A batch output file opened for appending, one {@link BatchResult} per line.
 *
 * <p>Each line is handed to the operating system with one write as soon as its result is known, so
 * a crashed or killed process loses only the requests still in flight (a power loss may lose more:
 * lines are not synced to disk one by one). Opening an existing file resumes it: a last line cut off
 * mid-write (no line break) is removed, and every {@code custom_id} already there is reported by
 * {@link #written()} so it is not sent again. Thread-safe.
 */
public final class BatchOutput implements Closeable {

  private final Path file;
  private final FileChannel channel;
  private final Map<String, Boolean> written;
  private final long repairedBytes;

  private BatchOutput(Path file, FileChannel channel, Map<String, Boolean> written, long repairedBytes) {
    this.file = file;
    this.channel = channel;
    this.written = written;
    this.repairedBytes = repairedBytes;
  }

  /**
   * Opens {@code file} for appending, creating it if needed, after repairing a torn last line.
   *
   * @throws InvalidBatchFileException if a complete line is not a batch output line (the file is not
   *     touched then, beyond the repair)
   * @throws IOException if the file cannot be read or written
   */
  public static BatchOutput open(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      byte[] content = readAll(channel, size);
      int end = lastLineBreak(content) + 1;
      if (end < content.length) {
        channel.truncate(end);
        channel.force(false);
      }
      Map<String, Boolean> written = parse(file, content, end);
      channel.position(end);
      return new BatchOutput(file, channel, written, content.length - end);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The {@code custom_id}s already in the file when it was opened, each mapped to whether it ended in error. */
  public Map<String, Boolean> written() {
    return written;
  }

  /** How many bytes of a torn last line were removed on opening (0 if none). */
  public long repairedBytes() {
    return repairedBytes;
  }

  public Path file() {
    return file;
  }

  /** Appends one line with a single write. */
  public synchronized void write(BatchResult result) throws IOException {
    ByteBuffer line = ByteBuffer.wrap(result.toLine());
    while (line.hasRemaining()) {
      channel.write(line);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }

  private static byte[] readAll(FileChannel channel, long size) throws IOException {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("batch output is too large to resume: " + size + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    channel.position(0);
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // reading
    }
    return buffer.array();
  }

  private static int lastLineBreak(byte[] content) {
    for (int i = content.length - 1; i >= 0; i--) {
      if (content[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static Map<String, Boolean> parse(Path file, byte[] content, int end) {
    Map<String, Boolean> written = new HashMap<>();
    List<BatchFileProblem> problems = new ArrayList<>();
    String text = new String(content, 0, end, StandardCharsets.UTF_8);
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode json = Json.MAPPER.readTree(line);
        JsonNode customId = json == null ? null : json.get("custom_id");
        if (customId == null || !customId.isTextual()) {
          problems.add(new BatchFileProblem(number, "no custom_id; not a batch output line"));
        } else {
          JsonNode error = json.get("error");
          written.put(customId.asText(), error != null && !error.isNull());
        }
      } catch (JsonProcessingException e) {
        problems.add(new BatchFileProblem(number, "not valid JSON; not a batch output line"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidBatchFileException(file, problems);
    }
    return Map.copyOf(written);
  }

  @Override
  public String toString() {
    return "BatchOutput[" + file + "]";
  }
}
