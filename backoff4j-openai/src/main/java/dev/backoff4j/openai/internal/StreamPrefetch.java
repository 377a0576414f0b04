package dev.backoff4j.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import dev.backoff4j.openai.spi.ResponseSizeLimit;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads a streaming response inside its attempt up to its first <em>output</em> event, so everything
 * that can go wrong before the caller has seen any output is retried:
 *
 * <ul>
 *   <li>chat completion streams: the first {@code data:} event;
 *   <li>Responses streams ({@code /responses}): the first event past the opening ones
 *       ({@code response.created}, {@code response.in_progress}, {@code response.queued},
 *       {@code response.output_item.added}, {@code response.content_part.added},
 *       {@code response.reasoning_summary_part.added}), which carry no output: a text delta, a
 *       {@code response.completed}, any event this list does not name.
 * </ul>
 *
 * An error reported in-band before then ({@code error}, {@code response.failed}, a chat error line) is
 * thrown as the HTTP error it describes ({@link StreamErrors}), so it is retried or not as that error
 * would be. What was read is replayed to the caller, in front of the rest of the stream. Each event may
 * take the request's {@link ResponseSizeLimit}, and all that comes before the first output event, that
 * event included, twice as much.
 */
public final class StreamPrefetch {

  private static final Set<String> OPENING_EVENTS = Set.of("response.created", "response.in_progress",
      "response.queued", "response.output_item.added", "response.content_part.added",
      "response.reasoning_summary_part.added");

  private StreamPrefetch() {}

  /** Whether {@code request} is a Responses API request, whose events are typed. */
  public static boolean isResponses(Request request) {
    String path = request.url().getPath();
    return path != null && (path.endsWith("/responses") || path.endsWith("/responses/"));
  }

  /**
   * Reads {@code response}'s body up to its first output event and returns a stream that replays what
   * was read, then continues with the rest.
   *
   * @param now the wall clock, for a {@code Retry-After} date in an in-band error
   * @throws IOException if reading fails before then (the attempt is retried)
   * @throws OpenAiConnectionException if the stream ends before then (retried)
   * @throws dev.backoff4j.openai.errors.OpenAiHttpException for an in-band error before then
   * @throws MalformedResponseException if an event, or all that came before the first output, is larger
   *     than the limit
   */
  public static InputStream untilFirstOutput(Response response, Instant now) throws IOException {
    int limit = ResponseSizeLimit.of(response.request());
    boolean responses = isResponses(response.request());
    // Room for the opening events and the first output event, each within the limit: a single event over
    // the limit is refused as such before the total is.
    int total = (int) Math.min(ResponseSizeLimit.MAX_BYTES, 2L * limit);
    Recording recording = new Recording(response.body().stream(), total);
    SseReader reader = new SseReader(recording, limit, () -> { });
    while (true) {
      SseReader.Event event;
      try {
        event = reader.next();
      } catch (SseReader.EventTooLargeException e) {
        throw malformed(response, e.getMessage() + " (maxResponseBytes); not retried", e);
      } catch (Recording.TooMuchException e) {
        throw malformed(response, "stream sent more than " + ByteSizes.format(total)
            + " (twice maxResponseBytes) before its first output event; not retried", e);
      }
      if (event == null) {
        recording.close();
        throw new OpenAiConnectionException("stream ended before its first event", null);
      }
      if (isOutput(event, responses, response, now)) {
        return new SequenceInputStream(new ByteArrayInputStream(recording.recorded()), recording.rest());
      }
    }
  }

  private static boolean isOutput(SseReader.Event event, boolean responses, Response response, Instant now) {
    if (event.data().equals("[DONE]")) {
      return true;
    }
    JsonNode json = Json.tryParse(event.data().getBytes(StandardCharsets.UTF_8)).orElse(null);
    if (json == null) {
      return true; // the caller's reader reports it as malformed
    }
    String type = responses ? json.path("type").asText(event.name()) : null;
    var error = StreamErrors.find(type, json, response, now);
    if (error.isPresent()) {
      throw error.get();
    }
    return !responses || !OPENING_EVENTS.contains(type);
  }

  private static MalformedResponseException malformed(Response response, String problem, Throwable cause) {
    return new MalformedResponseException(problem, response.status(),
        response.headers().first(RateLimitHeaders.REQUEST_ID).orElse(null), null, cause);
  }

  /** Keeps a copy of every byte read, up to a limit. */
  private static final class Recording extends FilterInputStream {

    static final class TooMuchException extends IOException {
      private static final long serialVersionUID = 1L;

      TooMuchException() {
        super("too much before the first output event");
      }
    }

    private final int limit;
    private byte[] copy = new byte[1024];
    private int length;

    Recording(InputStream in, int limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        keep(new byte[] {(byte) b}, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
      // Never past the limit but by the one byte that proves it is passed, so the reader meets an
      // oversized event first.
      int read = in.read(buffer, offset, Math.max(1, Math.min(count, limit - length)));
      if (read > 0) {
        keep(buffer, offset, read);
      }
      return read;
    }

    private void keep(byte[] bytes, int offset, int count) throws TooMuchException {
      if ((long) length + count > limit) {
        throw new TooMuchException();
      }
      if (length + count > copy.length) {
        copy = Arrays.copyOf(copy, (int) Math.min(limit, Math.max((long) copy.length * 2, length + count)));
      }
      System.arraycopy(bytes, offset, copy, length, count);
      length += count;
    }

    byte[] recorded() {
      return Arrays.copyOf(copy, length);
    }

    /** The underlying stream, from where reading stopped. */
    InputStream rest() {
      return in;
    }
  }
}
