package dev.backoff4j.openai.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.internal.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A response body: either bytes already read, or a stream still attached to the connection.
 * Closing a streaming body releases the connection; closing a buffered one does nothing.
 */
public final class ResponseBody implements AutoCloseable {

  private final byte[] bytes;
  private final InputStream stream;
  private volatile Optional<JsonNode> json;

  private ResponseBody(byte[] bytes, InputStream stream) {
    this.bytes = bytes;
    this.stream = stream;
  }

  public static ResponseBody of(byte[] bytes) {
    return new ResponseBody(Objects.requireNonNull(bytes, "bytes"), null);
  }

  public static ResponseBody of(InputStream stream) {
    return new ResponseBody(null, Objects.requireNonNull(stream, "stream"));
  }

  /** Whether the whole body is in memory. */
  public boolean isBuffered() {
    return bytes != null;
  }

  /** The body as a stream (a fresh one over the bytes when buffered). */
  public InputStream stream() {
    return bytes != null ? new ByteArrayInputStream(bytes) : stream;
  }

  /** The bytes of a buffered body. @throws IllegalStateException if the body is a stream */
  public byte[] bytes() {
    if (bytes == null) {
      throw new IllegalStateException("body is a stream; read it with readAll(limit)");
    }
    return bytes;
  }

  /**
   * The JSON tree of a buffered body, parsed on first use and then shared by every reader (the pacer's
   * {@code usage}, the endpoint's result); empty when the body is not JSON.
   *
   * @throws IllegalStateException if the body is a stream
   */
  public Optional<JsonNode> json() {
    Optional<JsonNode> parsed = json;
    if (parsed == null) {
      parsed = Json.tryParse(bytes());
      json = parsed;
    }
    return parsed;
  }

  /**
   * Reads up to {@code limit} bytes and closes the stream; a longer body is cut at {@code limit}
   * (enough for any error message, and bounded against a misbehaving server).
   *
   * @throws IOException if the connection fails while reading
   */
  public byte[] readAll(int limit) throws IOException {
    if (bytes != null) {
      return bytes.length <= limit ? bytes : Arrays.copyOf(bytes, limit);
    }
    try (InputStream in = stream) {
      return in.readNBytes(limit);
    }
  }

  @Override
  public void close() {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public String toString() {
    return bytes != null ? "ResponseBody[" + bytes.length + " bytes]" : "ResponseBody[stream]";
  }
}
