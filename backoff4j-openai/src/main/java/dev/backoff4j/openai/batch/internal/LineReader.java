package dev.backoff4j.openai.batch.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a JSON Lines file one line at a time, as bytes, without holding more than the current line:
 * memory grows with the longest line, not with the file. Each line is checked to be UTF-8 text (a
 * problem names the first bad byte and where it is), lines end at {@code \n} (a {@code \r} before it is
 * dropped), and a UTF-8 byte order mark at the start of the file is skipped. Not thread-safe.
 */
final class LineReader implements Closeable {

  /** Longer lines are reported as a problem and skipped; the largest legitimate ones are big embedding results. */
  static final int MAX_LINE_BYTES = 256 * 1024 * 1024;

  /** The line buffer shrinks back to this after a long line, so one long line does not pin memory. */
  private static final int KEPT_BUFFER_BYTES = 1024 * 1024;

  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private CharBuffer decoded = CharBuffer.allocate(8 * 1024);
  private int position;
  private int limit;
  private boolean endOfInput;
  private long offset;
  private byte[] line = new byte[8 * 1024];
  private int length;
  private int number;

  /** @param in read from its current position; closed by {@link #close()} */
  LineReader(InputStream in) {
    this.in = in;
  }

  /**
   * One line, valid until the next call.
   *
   * @param number the 1-based line number
   * @param start the file offset of its first byte
   * @param end the file offset after it, its line break included
   * @param terminated whether it ended with a line break (only the last line of a file may not)
   * @param bytes its content (without line break), in {@code [0, length)}; empty if it is too long
   * @param problem why the line is not UTF-8 text, or {@code null}
   */
  record Line(int number, long start, long end, boolean terminated, byte[] bytes, int length, String problem) {

    boolean isBlank() {
      for (int i = 0; i < length; i++) {
        byte b = bytes[i];
        if (b != ' ' && b != '\t' && b != '\r') {
          return false;
        }
      }
      return problem == null;
    }
  }

  /** The next line, or {@code null} at the end of the file. */
  Line next() throws IOException {
    long start = offset;
    length = 0;
    boolean tooLong = false;
    boolean terminated = false;
    while (true) {
      if (position == limit && !fill()) {
        break;
      }
      int newline = position;
      while (newline < limit && buffer[newline] != '\n') {
        newline++;
      }
      int chunk = newline - position;
      if (!tooLong && (long) length + chunk > MAX_LINE_BYTES) {
        tooLong = true;
        length = 0;
      }
      if (!tooLong) {
        append(position, chunk);
      }
      offset += chunk;
      position = newline;
      if (newline < limit) {
        position++;
        offset++;
        terminated = true;
        break;
      }
    }
    if (!terminated && offset == start) {
      return null;
    }
    number++;
    String problem = tooLong ? "longer than " + (MAX_LINE_BYTES / (1024 * 1024)) + " MiB" : check();
    Line result = new Line(number, start, offset, terminated, line, length, problem);
    if (line.length > KEPT_BUFFER_BYTES && length <= KEPT_BUFFER_BYTES) {
      line = new byte[KEPT_BUFFER_BYTES];
    }
    return result;
  }

  /** Drops a {@code \r} before the line break and a leading byte order mark; says what makes it not text. */
  private String check() {
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    if (number == 1 && length >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf) {
      System.arraycopy(line, 3, line, 0, length - 3);
      length -= 3;
    }
    if (number == 1 && length >= 2 && ((line[0] & 0xff) == 0xff && (line[1] & 0xff) == 0xfe
        || (line[0] & 0xff) == 0xfe && (line[1] & 0xff) == 0xff)) {
      return "the file starts with a UTF-16 byte order mark; save it as UTF-8";
    }
    for (int i = 0; i < length; i++) {
      if (line[i] == 0) {
        return "binary data (a NUL byte at byte " + (i + 1) + " of the line), not UTF-8 JSON text";
      }
    }
    return firstBadUtf8Byte();
  }

  private String firstBadUtf8Byte() {
    if (decoded.capacity() < length) {
      decoded = CharBuffer.allocate(Math.max(length, decoded.capacity() * 2));
    }
    decoded.clear();
    ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
    utf8.reset();
    CoderResult result = utf8.decode(bytes, decoded, true);
    if (!result.isError()) {
      result = utf8.flush(decoded);
    }
    if (decoded.capacity() > KEPT_BUFFER_BYTES) {
      decoded = CharBuffer.allocate(8 * 1024);
    }
    if (!result.isError()) {
      return null;
    }
    int at = bytes.position();
    return String.format(Locale.ROOT, "not valid UTF-8: byte 0x%02X at byte %d of the line (is the file in another "
        + "encoding, such as Latin-1 or UTF-16?)", line[at] & 0xff, at + 1);
  }

  private void append(int from, int count) {
    if (count == 0) {
      return;
    }
    if (length + count > line.length) {
      byte[] bigger = new byte[(int) Math.min(MAX_LINE_BYTES, Math.max((long) line.length * 2, (long) length + count))];
      System.arraycopy(line, 0, bigger, 0, length);
      line = bigger;
    }
    System.arraycopy(buffer, from, line, length, count);
    length += count;
  }

  private boolean fill() throws IOException {
    if (endOfInput) {
      return false;
    }
    int read = in.read(buffer, 0, buffer.length);
    while (read == 0) {
      read = in.read(buffer, 0, buffer.length);
    }
    if (read < 0) {
      endOfInput = true;
      position = limit = 0;
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
