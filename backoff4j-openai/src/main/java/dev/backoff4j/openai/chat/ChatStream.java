package dev.backoff4j.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.StreamWatch;
import dev.backoff4j.openai.internal.EventStream;
import dev.backoff4j.openai.internal.Json;
import dev.backoff4j.openai.internal.ReadingIterator;
import dev.backoff4j.openai.internal.Secrets;
import dev.backoff4j.openai.internal.ShapeException;
import dev.backoff4j.openai.internal.SseReader;
import dev.backoff4j.openai.internal.StreamErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
 * {@link MalformedResponseException}, and so does one larger than the client's
 * {@code maxResponseBytes}; an {@code error} event throws {@link StreamInterruptedException} whose
 * cause is the HTTP error it describes (a rate limit is a
 * {@link dev.backoff4j.openai.errors.RateLimitException}). An error event before the first chunk
 * fails the attempt instead, and is retried as that error would be.
 *
 * <p>Limits ({@link StreamWatch}): a stream that sends no {@code data:} line for the client's
 * per-attempt timeout — comment lines such as {@code : keep-alive} do not count — and a stream still
 * running at the call's deadline (the retry policy's {@code maxElapsed}, counted from the call's start)
 * are cut off: {@link StreamInterruptedException} caused by an
 * {@link dev.backoff4j.openai.errors.OpenAiTimeoutException}, with the text received.
 *
 * <p>Not thread-safe: one consumer.
 */
public final class ChatStream implements AutoCloseable, Iterable<ChatCompletionChunk> {

  private final Response response;
  private final StreamWatch watch;
  private final EventStream source;
  private final List<ChatCompletionChunk> chunks = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private boolean done;
  private boolean iterated;

  /**
   * Reads {@code response} — a streaming response the pipeline positioned at its first event — as a
   * chat completion stream, cut off when it goes silent for longer than {@code watch} allows or
   * passes its deadline.
   */
  public static ChatStream of(Response response, StreamWatch watch) {
    return new ChatStream(Objects.requireNonNull(response, "response"), Objects.requireNonNull(watch, "watch"));
  }

  private ChatStream(Response response, StreamWatch watch) {
    this.response = response;
    this.watch = watch;
    this.source = new EventStream(response, watch);
  }

  /** The chunks as they arrive. Single use. */
  @Override
  public Iterator<ChatCompletionChunk> iterator() {
    if (iterated) {
      throw new IllegalStateException("a chat stream can be iterated once");
    }
    iterated = true;
    return new ReadingIterator<>(this::readChunk, () -> done);
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
    source.close();
  }

  private ChatCompletionChunk readChunk() {
    while (true) {
      SseReader.Event event;
      try {
        event = source.next();
      } catch (EventStream.Interrupted e) {
        throw interrupted(e.failure());
      }
      if (event == null) {
        done = true;
        if (!chunks.isEmpty() && chunks.get(chunks.size() - 1).isFinal()) {
          return null; // some servers end without [DONE] once the choice has finished
        }
        throw interrupted(new OpenAiConnectionException("stream ended without [DONE]", null));
      }
      String data = event.data().trim();
      if (data.isEmpty()) {
        continue;
      }
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

  private ChatCompletionChunk parse(String data) {
    JsonNode json = Json.tryParse(data.getBytes(StandardCharsets.UTF_8)).orElse(null);
    if (json == null) {
      close();
      throw new MalformedResponseException("stream event is not JSON", response.status(), source.requestId(),
          Secrets.maskFor(response, data), null);
    }
    var error = StreamErrors.find(null, json, response, watch.time().now());
    if (error.isPresent()) {
      throw interrupted(error.get());
    }
    try {
      return ChatCompletionChunk.from(json);
    } catch (ShapeException e) {
      close();
      throw new MalformedResponseException(e.getMessage(), response.status(), source.requestId(),
          Secrets.maskFor(response, data), e);
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
