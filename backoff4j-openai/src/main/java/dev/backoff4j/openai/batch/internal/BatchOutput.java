package dev.backoff4j.openai.batch.internal;

import dev.backoff4j.openai.batch.BatchFileProblem;
import dev.backoff4j.openai.batch.BatchResult;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import dev.backoff4j.openai.internal.Secrets;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A batch output file opened for appending, one {@link BatchResult} per line and exactly one line per
 * {@code custom_id}.
 *
 * <p>Each line is handed to the operating system with one write as soon as its result is known, so a
 * crashed or killed process loses only the requests still in flight (a power loss may lose more: lines
 * are not synced to disk one by one). Every line is masked ({@link Secrets}) as it is written.
 *
 * <p>Opening an existing file resumes it, and never changes a file that is not a batch output of this
 * input: the whole file is read first (streaming), and if any complete line is not a batch output
 * line, has a {@code custom_id} the input does not have, or repeats one, nothing is changed and
 * {@link InvalidBatchFileException} lists the lines. Only then is a last line without a line break
 * repaired: removed if it is the start of a line backoff4j writes (a write cut off by a crash), kept
 * and given its line break if it is a whole output line; anything else there is reported, not removed.
 *
 * <p>With {@code retryErrors}, the error lines whose error was recoverable are removed so their
 * requests are sent again: the file is rewritten without them into a temporary file next to it (in
 * the directory of the file a symbolic link points to), synced, and renamed over it, so the file
 * holds either all the old lines or the kept ones, never a mix, and never two lines for one
 * {@code custom_id}. (Other hard links to the file keep the old content.)
 *
 * <p>The file is locked while open, so two batch runs cannot append to it at once. Thread-safe.
 */
public final class BatchOutput implements Closeable {

  /** Every line this version writes starts so; a last line that is a prefix of it, or starts with it, is a cut-off write. */
  private static final byte[] LINE_START = "{\"id\":\"batch_req_".getBytes(StandardCharsets.US_ASCII);

  private final Path file;
  private final Secrets secrets;
  private final Resume resume;
  private FileChannel channel;
  private FileLock lock;

  /**
   * What was in the file when it was opened.
   *
   * @param kept lines kept (their requests are not sent again)
   * @param keptErrors how many of them are errors
   * @param removedErrors recoverable error lines removed so their requests are sent again ({@code retryErrors})
   * @param repairedBytes bytes of a cut-off last line removed (0 if none)
   */
  public record Resume(int kept, int keptErrors, int removedErrors, long repairedBytes) {}

  private BatchOutput(Path file, Secrets secrets, FileChannel channel, FileLock lock, Resume resume) {
    this.file = file;
    this.secrets = secrets;
    this.channel = channel;
    this.lock = lock;
    this.resume = resume;
  }

  /**
   * Opens {@code file} for appending, creating it if needed, after checking it against {@code input}.
   * Marks in {@code input} what the file already holds for each request.
   *
   * @param retryErrors whether to remove recoverable error lines, so their requests are sent again
   * @param secrets credentials masked in every line written
   * @throws InvalidBatchFileException if the file is not a batch output of this input (it is not changed)
   * @throws IOException if the file cannot be read or written, its directory does not exist, or another
   *     run has it open
   */
  public static BatchOutput open(Path file, BatchInput.Index input, boolean retryErrors, Secrets secrets)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Path directory = file.toAbsolutePath().getParent();
    if (directory != null && !Files.isDirectory(directory)) {
      throw new NoSuchFileException(file.toString(), null, "cannot create the batch output: the directory "
          + directory + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory, not a batch output file");
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock = null;
    try {
      lock = lock(channel, file);
      Scan scan = scan(channel, file, input, retryErrors);
      long repaired = repairLastLine(channel, scan);
      Resume resume = new Resume(scan.kept - scan.removed.cardinality(), scan.keptErrors - scan.removed.cardinality(),
          scan.removed.cardinality(), repaired);
      BatchOutput output = new BatchOutput(file, secrets, channel, lock, resume);
      if (!scan.removed.isEmpty()) {
        output.rewriteWithout(scan.removed);
      }
      output.channel.position(output.channel.size());
      return output;
    } catch (IOException | RuntimeException e) {
      channel.close(); // releases the lock
      throw e;
    }
  }

  public Resume resume() {
    return resume;
  }

  public Path file() {
    return file;
  }

  /** Appends one line, masked, with a single write. */
  public synchronized void write(BatchResult result) throws IOException {
    String line = secrets.mask(result.toJson().toString()) + "\n";
    ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }

  private static FileLock lock(FileChannel channel, Path file) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      return null; // a file system without locks: run unguarded rather than not at all
    }
    if (lock == null) {
      throw new IOException(file + " is being written by another batch run; let it finish, or stop it first");
    }
    return lock;
  }

  /** What the whole file holds, read without changing it. */
  private static final class Scan {
    int kept;
    int keptErrors;
    final BitSet removed = new BitSet();
    LineReader.Line last;
    boolean lastIsWhole;
    long end;
  }

  private static Scan scan(FileChannel channel, Path file, BatchInput.Index input, boolean retryErrors) throws IOException {
    IdTable ids = input.ids();
    Scan scan = new Scan();
    List<BatchFileProblem> problems = new ArrayList<>();
    long total = 0;
    LineReader reader = new LineReader(new ChannelInput(channel));
    for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
      scan.end = line.end();
      String problem = line.problem();
      OutputLine parsed = null;
      if (problem == null && !line.isBlank()) {
        parsed = OutputLine.parse(line.bytes(), line.length());
        problem = parsed.problem;
      }
      if (!line.terminated()) {
        scan.last = line;
        scan.lastIsWhole = parsed != null && problem == null;
        if (!scan.lastIsWhole && (problem == null && line.isBlank() || isCutOffWrite(line))) {
          scan.end = line.start();
          break; // repaired below, once the rest is known to be good
        }
        if (!scan.lastIsWhole) {
          problem = "the last line, without a line break, is not a batch output line";
        }
      }
      if (problem == null && parsed != null) {
        problem = record(parsed, line.number(), ids, input, scan, retryErrors);
      }
      if (problem != null) {
        total++;
        if (problems.size() < InvalidBatchFileException.KEPT) {
          problems.add(new BatchFileProblem(line.number(), problem));
        }
      }
    }
    if (total > 0) {
      throw new InvalidBatchFileException(file, problems, total, "not a batch output of " + input.file()
          + ", left unchanged (use another output file, or delete this one to start over)");
    }
    return scan;
  }

  private static String record(OutputLine line, int number, IdTable ids, BatchInput.Index input, Scan scan,
      boolean retryErrors) {
    int slot = ids.find(line.customId);
    if (slot < 0) {
      return "custom_id '" + line.customId + "' is not in " + input.file();
    }
    if (ids.outputLine(slot) != 0) {
      return "custom_id '" + line.customId + "' again (first on line " + ids.outputLine(slot) + ")";
    }
    scan.kept++;
    boolean error = line.state != IdTable.SUCCEEDED;
    scan.keptErrors += error ? 1 : 0;
    if (retryErrors && line.state == IdTable.RETRYABLE_ERROR) {
      scan.removed.set(number);
      ids.setOutput(slot, IdTable.ABSENT, number);
    } else {
      ids.setOutput(slot, line.state, number);
    }
    return null;
  }

  private static boolean isCutOffWrite(LineReader.Line line) {
    int compared = Math.min(line.length(), LINE_START.length);
    for (int i = 0; i < compared; i++) {
      if (line.bytes()[i] != LINE_START[i]) {
        return false;
      }
    }
    return line.length() > 0;
  }

  /** Removes a cut-off last line, or ends a whole one with its line break; returns the bytes removed. */
  private static long repairLastLine(FileChannel channel, Scan scan) throws IOException {
    if (scan.last == null) {
      return 0;
    }
    if (scan.lastIsWhole) {
      ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
      while (newline.hasRemaining()) {
        channel.write(newline, channel.size());
      }
      return 0;
    }
    long removed = channel.size() - scan.last.start();
    channel.truncate(scan.last.start());
    channel.force(false);
    return removed;
  }

  /**
   * Replaces the file with a copy without the lines numbered in {@code dropped}: written next to it,
   * synced, locked, then renamed over it.
   */
  private void rewriteWithout(BitSet dropped) throws IOException {
    Path real = file.toRealPath();
    Path temporary = Files.createTempFile(real.getParent(), "." + real.getFileName() + ".", ".tmp");
    FileChannel copy = null;
    try {
      try {
        Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(real));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the temporary file's own permissions stay
      }
      copy = FileChannel.open(temporary, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock copyLock = lock(copy, temporary);
      LineReader reader = new LineReader(new ChannelInput(channel));
      ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
      for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
        if (dropped.get(line.number())) {
          continue;
        }
        ByteBuffer bytes = ByteBuffer.wrap(line.bytes(), 0, line.length());
        while (bytes.hasRemaining()) {
          copy.write(bytes);
        }
        newline.clear();
        while (newline.hasRemaining()) {
          copy.write(newline);
        }
      }
      copy.force(true);
      Files.move(temporary, real, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(real.getParent());
      FileChannel old = channel;
      channel = copy;
      lock = copyLock;
      copy = null;
      old.close();
    } finally {
      if (copy != null) {
        copy.close();
        Files.deleteIfExists(temporary);
      }
    }
  }

  /** So the rename survives a power loss too; not every platform can open a directory. */
  private static void syncDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | RuntimeException e) {
      // the rename itself is atomic either way
    }
  }

  /** Reads a channel from offset 0 with positional reads, leaving the channel's position (and the channel) alone. */
  private static final class ChannelInput extends InputStream {
    private final FileChannel channel;
    private long position;

    ChannelInput(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = channel.read(ByteBuffer.wrap(buffer, offset, length), position);
      if (read > 0) {
        position += read;
      }
      return read;
    }
  }

  @Override
  public String toString() {
    return "BatchOutput[" + file + "]";
  }
}
