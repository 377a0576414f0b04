package dev.backoff4j.openai.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Frames a server-sent event stream (the WHATWG rules OpenAI's streams follow): lines end with
 * {@code \n}, {@code \r\n} or {@code \r}; {@code data:} lines of one event are joined with
 * {@code \n}; {@code event:} names it; a blank line dispatches it; lines starting with {@code :}
 * are comments; {@code id:}, {@code retry:} and unknown fields are ignored; a leading UTF-8 byte order
 * mark is dropped. Unlike a browser, an event still pending when the stream ends is dispatched (some
 * servers end with {@code data: [DONE]} and no blank line).
 *
 * <p>Bounded: no event's data may be longer than {@code maxEventBytes}, nor any line longer than that
 * and its field name; a longer one throws {@link EventTooLargeException} before more is buffered. Progress is reported per {@code data:} line
 * ({@code onData}), never for comments or blank lines, so a server sending only keep-alive comments is
 * seen as silent. Not thread-safe.
 */
public final class SseReader {

  /** One event: its {@code event:} name ({@code null} when it had none) and its joined data. */
  public record Event(String name, String data) {}

  /** An event or line longer than the limit. */
  public static final class EventTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    EventTooLargeException(int limit) {
      super("stream event larger than " + ByteSizes.format(limit));
      this.limit = limit;
    }

    public int limit() {
      return limit;
    }
  }

  private static final int CHUNK = 8 * 1024;

  /** Room for a field name ({@code data: }, {@code event: }) on top of an event's limit. */
  private static final int FIELD_NAME_ROOM = 32;

  private final InputStream in;
  private final int maxEventBytes;
  private final int maxLineBytes;
  private final Runnable onData;
  private final byte[] buffer = new byte[CHUNK];
  private int position;
  private int end;
  private boolean afterCr;
  private boolean firstLine = true;
  private boolean finished;

  private byte[] line;
  private int lineLength;

  private StringBuilder data;
  private int eventBytes;
  private String name;

  /**
   * @param maxEventBytes the most one line or one event may take, > 0
   * @param onData run after each {@code data:} line: the stream's sign of life
   */
  public SseReader(InputStream in, int maxEventBytes, Runnable onData) {
    this.in = Objects.requireNonNull(in, "in");
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("maxEventBytes must be positive, was " + maxEventBytes);
    }
    this.maxEventBytes = maxEventBytes;
    this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE - 8L, (long) maxEventBytes + FIELD_NAME_ROOM);
    this.line = new byte[Math.min(256, maxLineBytes)];
    this.onData = Objects.requireNonNull(onData, "onData");
  }

  /**
   * The next event, or {@code null} once the stream has ended (and stays ended).
   *
   * @throws EventTooLargeException if a line or an event passes the limit
   * @throws IOException if reading fails
   */
  public Event next() throws IOException {
    while (!finished) {
      if (!readLine()) {
        finished = true;
        return data == null ? null : dispatch();
      }
      if (firstLine) {
        firstLine = false;
        dropByteOrderMark();
      }
      if (lineLength == 0) {
        if (data != null) {
          return dispatch();
        }
        name = null; // an event without data is dropped, as the standard says
        eventBytes = 0;
        continue;
      }
      field();
    }
    return null;
  }

  private Event dispatch() {
    Event event = new Event(name, data.toString());
    data = null;
    name = null;
    eventBytes = 0;
    return event;
  }

  private void field() throws IOException {
    if (line[0] == ':') {
      return; // a comment: not an event, not progress
    }
    int colon = indexOf(line, lineLength, (byte) ':');
    int nameEnd = colon < 0 ? lineLength : colon;
    int valueStart = colon < 0 ? lineLength : colon + 1;
    if (valueStart < lineLength && line[valueStart] == ' ') {
      valueStart++;
    }
    String field = new String(line, 0, nameEnd, StandardCharsets.UTF_8);
    if (field.equals("data")) {
      eventBytes += lineLength - valueStart + 1;
      if (eventBytes > maxEventBytes) {
        throw new EventTooLargeException(maxEventBytes);
      }
      String value = new String(line, valueStart, lineLength - valueStart, StandardCharsets.UTF_8);
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
      onData.run();
    } else if (field.equals("event")) {
      eventBytes += lineLength - valueStart;
      if (eventBytes > maxEventBytes) {
        throw new EventTooLargeException(maxEventBytes);
      }
      name = new String(line, valueStart, lineLength - valueStart, StandardCharsets.UTF_8);
    }
    // id, retry and unknown fields: nothing a client of these APIs needs
  }

  /** Reads one line into {@link #line}; false at the end of the stream with nothing read. */
  private boolean readLine() throws IOException {
    lineLength = 0;
    boolean any = false;
    while (true) {
      if (position == end && !fill()) {
        return any;
      }
      byte b = buffer[position++];
      if (afterCr) {
        afterCr = false;
        if (b == '\n') {
          continue; // the \n of a \r\n
        }
      }
      if (b == '\n') {
        return true;
      }
      if (b == '\r') {
        afterCr = true;
        return true;
      }
      any = true;
      append(b);
    }
  }

  private boolean fill() throws IOException {
    int read = in.read(buffer, 0, buffer.length);
    while (read == 0) {
      read = in.read(buffer, 0, buffer.length);
    }
    if (read < 0) {
      position = end = 0;
      return false;
    }
    position = 0;
    end = read;
    return true;
  }

  private void dropByteOrderMark() {
    if (lineLength >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
      System.arraycopy(line, 3, line, 0, lineLength - 3);
      lineLength -= 3;
    }
  }

  private void append(byte b) throws EventTooLargeException {
    if (lineLength == maxLineBytes) {
      throw new EventTooLargeException(maxEventBytes);
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxLineBytes));
    }
    line[lineLength++] = b;
  }

  private static int indexOf(byte[] bytes, int length, byte wanted) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
