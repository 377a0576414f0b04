package dev.backoff4j.openai.responses;

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
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A streamed response, read as the Responses API's typed events ({@code event: <type>} /
 * {@code data: {...}}), ending with {@code response.completed} or {@code response.incomplete}. Iterate
 * it once, then close it (try-with-resources); closing early releases the connection.
 *
 * <p>Retry semantics: the stream was opened under the retry policy, and the attempt ended only at
 * the first output event (a text delta, say; {@code response.created}, {@code response.in_progress}
 * and the {@code .added} events carry no output), so every failure before it was retried — an
 * {@code error} or {@code response.failed} event as the HTTP error it describes (a rate limit after
 * its hint). A failure after it is never retried (the text would be delivered twice): iteration throws
 * {@link StreamInterruptedException} carrying every event and all the text received, caused by
 *
 * <ul>
 *   <li>the error an {@code error} or {@code response.failed} event describes, as its typed HTTP
 *       exception ({@link dev.backoff4j.openai.errors.RateLimitException} for
 *       {@code rate_limit_exceeded}, {@link dev.backoff4j.openai.errors.ServerErrorException} for
 *       {@code server_error}, ...);
 *   <li>an {@link dev.backoff4j.openai.errors.OpenAiTimeoutException} when the stream sent no
 *       {@code data:} line for the client's per-attempt timeout (comments such as
 *       {@code : keep-alive} do not count), or was still running at the call's deadline (the retry
 *       policy's {@code maxElapsed}, counted from the call's start);
 *   <li>an {@link OpenAiConnectionException} when the connection broke, or the stream ended without
 *       {@code response.completed}.
 * </ul>
 *
 * An event that is not JSON, or larger than the client's {@code maxResponseBytes}, throws
 * {@link MalformedResponseException}. The error events themselves are not delivered.
 *
 * <p>Not thread-safe: one consumer.
 */
public final class ResponseStream implements AutoCloseable, Iterable<ResponseStreamEvent> {

  private final Response response;
  private final StreamWatch watch;
  private final EventStream source;
  private final List<ResponseStreamEvent> received = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private ModelResponse last;
  private boolean done;
  private boolean iterated;

  /**
   * Reads {@code response} — a streaming response the pipeline positioned at its first output event —
   * as a Responses event stream under {@code watch}'s limits.
   */
  public static ResponseStream of(Response response, StreamWatch watch) {
    return new ResponseStream(Objects.requireNonNull(response, "response"), Objects.requireNonNull(watch, "watch"));
  }

  private ResponseStream(Response response, StreamWatch watch) {
    this.response = response;
    this.watch = watch;
    this.source = new EventStream(response, watch);
  }

  /** The events as they arrive. Single use. */
  @Override
  public Iterator<ResponseStreamEvent> iterator() {
    if (iterated) {
      throw new IllegalStateException("a response stream can be iterated once");
    }
    iterated = true;
    return new ReadingIterator<>(this::readEvent, () -> done);
  }

  /** The events as a sequential stream. Single use. */
  public Stream<ResponseStreamEvent> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
  }

  /** Reads to the end and returns the whole output text; closes the stream. */
  public String readText() {
    readToEnd();
    return text();
  }

  /**
   * Reads to the end and returns the response as its last event ({@code response.completed} or
   * {@code response.incomplete}) carried it, usage included; closes the stream.
   */
  public ModelResponse readResponse() {
    readToEnd();
    return last;
  }

  private void readToEnd() {
    try (this) {
      for (ResponseStreamEvent ignored : this) {
        // accumulating
      }
    }
  }

  /** The output text received so far (the {@code response.output_text.delta}s). */
  public String text() {
    return text.toString();
  }

  /** The events received so far. */
  public List<ResponseStreamEvent> events() {
    return List.copyOf(received);
  }

  /** The latest response an event carried: the final one once the stream has ended. */
  public Optional<ModelResponse> response() {
    return Optional.ofNullable(last);
  }

  /** Response headers (request id, rate limits). */
  public Response httpResponse() {
    return response;
  }

  @Override
  public void close() {
    done = true;
    source.close();
  }

  private ResponseStreamEvent readEvent() {
    while (true) {
      SseReader.Event event;
      try {
        event = source.next();
      } catch (EventStream.Interrupted e) {
        throw interrupted(e.failure());
      }
      String data = event == null ? "[DONE]" : event.data().trim();
      if (data.isEmpty()) {
        continue;
      }
      if (data.equals("[DONE]")) {
        throw interrupted(new OpenAiConnectionException("stream ended before response.completed", null));
      }
      ResponseStreamEvent parsed = parse(data, event.name());
      received.add(parsed);
      events.add(data);
      text.append(parsed.delta());
      if (parsed.raw().path("response").isObject()) {
        last = parseResponse(parsed.raw().get("response"), data);
      }
      if (parsed.isTerminal()) {
        close();
      }
      return parsed;
    }
  }

  private ResponseStreamEvent parse(String data, String eventName) {
    JsonNode json = Json.tryParse(data.getBytes(StandardCharsets.UTF_8)).orElse(null);
    if (json == null || !json.isObject()) {
      close();
      throw new MalformedResponseException("stream event is not a JSON object", response.status(),
          source.requestId(), Secrets.maskFor(response, data), null);
    }
    ResponseStreamEvent parsed = ResponseStreamEvent.from(json, eventName);
    var error = StreamErrors.find(parsed.type(), json, response, watch.time().now());
    if (error.isPresent()) {
      throw interrupted(error.get());
    }
    return parsed;
  }

  private ModelResponse parseResponse(JsonNode json, String data) {
    try {
      return ModelResponse.from(json);
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
    return "ResponseStream[" + received.size() + " events" + (done ? ", done" : "") + "]";
  }
}
