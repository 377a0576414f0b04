package dev.backoff4j.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.spi.ErrorResponses;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.internal.Json;
import dev.backoff4j.openai.internal.Secrets;
import dev.backoff4j.openai.internal.ShapeException;
import dev.backoff4j.openai.http.StreamWatch;
import dev.backoff4j.time.ScheduledTask;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A streamed chat completion, read as server-sent events ({@code data: {...}} lines, ending with
 * {@code data: [DONE]}). Iterate it once, then close it (try-with-resources); closing early releases
 * the connection.
 *
 * <p>Retry semantics: the stream was opened under the retry policy, and the attempt ended only once
 * the first event had arrived, so any failure before that was retried. A failure after it is never
 * retried (the text would be delivered twice): iteration throws {@link StreamInterruptedException}
 * carrying every event and all the text received. A stream that ends without {@code [DONE]} and
 * without a finished choice counts as interrupted. An event that is not JSON throws
 * {@link MalformedResponseException}; an {@code error} event throws {@link StreamInterruptedException}
 * whose cause is the server's error. A stream that sends nothing for the client's per-attempt timeout
 * is cut off: {@link StreamInterruptedException} caused by an
 * {@link dev.backoff4j.openai.errors.OpenAiTimeoutException}.
 *
 * <p>Not thread-safe: one consumer.
 */
public final class ChatStream implements AutoCloseable, Iterable<ChatCompletionChunk> {

  private final Response response;
  private final StreamWatch watch;
  private final BufferedReader reader;
  private final List<ChatCompletionChunk> chunks = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private boolean done;
  private boolean iterated;
  private volatile boolean idle;

  /**
   * Reads {@code response} — a streaming response the pipeline positioned at its first event — as a
   * chat completion stream, cut off when it goes silent for longer than {@code watch} allows.
   */
  public static ChatStream of(Response response, StreamWatch watch) {
    return new ChatStream(Objects.requireNonNull(response, "response"), Objects.requireNonNull(watch, "watch"));
  }

  private ChatStream(Response response, StreamWatch watch) {
    this.response = response;
    this.watch = watch;
    this.reader = new BufferedReader(new InputStreamReader(response.body().stream(), StandardCharsets.UTF_8));
  }

  /** The chunks as they arrive. Single use. */
  @Override
  public Iterator<ChatCompletionChunk> iterator() {
    if (iterated) {
      throw new IllegalStateException("a chat stream can be iterated once");
    }
    iterated = true;
    return new Iterator<>() {
      private ChatCompletionChunk next;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          next = readChunk();
        }
        return next != null;
      }

      @Override
      public ChatCompletionChunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ChatCompletionChunk chunk = next;
        next = null;
        return chunk;
      }
    };
  }

  /** The chunks as a sequential stream. Single use. */
  public Stream<ChatCompletionChunk> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
  }

  /** Reads to the end and returns the whole text of the first choice; closes the stream. */
  public String readText() {
    try (this) {
      for (ChatCompletionChunk ignored : this) {
        // accumulating
      }
      return text();
    }
  }

  /** The text of the first choice received so far. */
  public String text() {
    return text.toString();
  }

  /** The chunks received so far. */
  public List<ChatCompletionChunk> chunks() {
    return List.copyOf(chunks);
  }

  /** Response headers (request id, rate limits). */
  public Response response() {
    return response;
  }

  @Override
  public void close() {
    done = true;
    try {
      response.close();
    } catch (RuntimeException ignored) {
      // closing a broken connection has nothing useful to report
    }
  }

  private ChatCompletionChunk readChunk() {
    while (true) {
      String line;
      ScheduledTask watchdog = watch.start(this::cutIdleStream);
      try {
        line = reader.readLine();
      } catch (IOException | RuntimeException e) {
        if (idle) {
          throw interrupted(new OpenAiTimeoutException(watch.idleTimeout().orElse(null), e));
        }
        throw interrupted(new OpenAiConnectionException("stream broken: " + e, e));
      } finally {
        watchdog.cancel();
      }
      if (line == null) {
        if (!chunks.isEmpty() && chunks.get(chunks.size() - 1).isFinal()) {
          close(); // some servers end without [DONE] once the choice has finished
          return null;
        }
        throw interrupted(new OpenAiConnectionException("stream ended without [DONE]", null));
      }
      if (!line.startsWith("data:")) {
        continue; // blank separators, comments, event names, ids
      }
      String data = line.substring(5).trim();
      if (data.equals("[DONE]")) {
        close();
        return null;
      }
      ChatCompletionChunk chunk = parse(data);
      chunks.add(chunk);
      events.add(data);
      text.append(chunk.text());
      return chunk;
    }
  }

  private void cutIdleStream() {
    idle = true;
    try {
      response.close();
    } catch (RuntimeException ignored) {
      // the reader sees the closed stream either way
    }
  }

  private ChatCompletionChunk parse(String data) {
    String requestId = response.headers().first(RateLimitHeaders.REQUEST_ID).orElse(null);
    JsonNode json = Json.tryParse(data.getBytes(StandardCharsets.UTF_8)).orElse(null);
    if (json == null) {
      close();
      throw new MalformedResponseException("stream event is not JSON", response.status(), requestId,
          Secrets.mask(data, Secrets.of(response.request().headers())), null);
    }
    if (json.has("error") && json.get("error").isObject()) {
      throw interrupted(OpenAiClassifier.toException(ErrorResponses.read(response.status(), response.headers(),
          data.getBytes(StandardCharsets.UTF_8), Instant.now(), Secrets.of(response.request().headers()))));
    }
    try {
      return ChatCompletionChunk.from(json);
    } catch (ShapeException e) {
      close();
      throw new MalformedResponseException(e.getMessage(), response.status(), requestId,
          Secrets.mask(data, Secrets.of(response.request().headers())), e);
    }
  }

  private StreamInterruptedException interrupted(OpenAiException cause) {
    close();
    return new StreamInterruptedException(events, text.toString(), cause);
  }

  @Override
  public String toString() {
    return "ChatStream[" + chunks.size() + " chunks" + (done ? ", done" : "") + "]";
  }
}
