package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.errors.OpenAiConnectionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/** Reads a server-sent event stream up to the end of its first {@code data:} line. */
public final class SsePrefetch {

  private SsePrefetch() {}

  /**
   * Reads {@code in} until a complete {@code data:} line has arrived and returns a stream that replays
   * what was read, then continues with the rest of {@code in}.
   *
   * @throws IOException if reading fails before that (the attempt is then retried)
   * @throws OpenAiConnectionException if the stream ends before its first event
   */
  public static InputStream untilFirstEvent(InputStream in) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        in.close();
        throw new OpenAiConnectionException("stream ended before its first event", null);
      }
      seen.write(b);
      if (b == '\n') {
        if (line.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith("data:")) {
          return new SequenceInputStream(new ByteArrayInputStream(seen.toByteArray()), in);
        }
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
