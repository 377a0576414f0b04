package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.StreamWatch;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import dev.backoff4j.openai.spi.ResponseSizeLimit;
import dev.backoff4j.time.Durations;
import dev.backoff4j.time.ScheduledTask;
import java.io.IOException;
import java.util.Objects;

/**
 * The events of a streaming response under the rules every stream of the lean client follows, in one
 * place (chat completion and Responses streams alike):
 *
 * <ul>
 *   <li>the idle timeout runs from each {@code data:} line; comments and blank lines do not restart
 *       it, so a server sending only {@code : keep-alive} is cut off;
 *   <li>the caller's deadline ends the stream wherever it is;
 *   <li>no event may be larger than the request's {@link ResponseSizeLimit}.
 * </ul>
 *
 * A stream cut by either limit, or broken on the network, ends with {@link Interrupted} (the caller
 * adds what it received); an event over the size limit is a {@link MalformedResponseException}. A
 * timer closes the connection to end a blocked read, so the limits hold while the reader waits. One
 * reader at a time.
 */
public final class EventStream implements AutoCloseable {

  /** The stream was cut or broke; {@link #failure()} says how. */
  public static final class Interrupted extends Exception {
    private static final long serialVersionUID = 1L;

    Interrupted(OpenAiException failure) {
      super(failure.getMessage(), failure, false, false);
    }

    /** A timeout (idle or deadline) or a connection failure. */
    public OpenAiException failure() {
      return (OpenAiException) getCause();
    }
  }

  private enum Cut { IDLE, DEADLINE }

  private final Response response;
  private final StreamWatch watch;
  private final int maxEventBytes;
  private final SseReader reader;
  private final ScheduledTask deadlineTimer;
  private ScheduledTask idleTimer = () -> { };
  private volatile Cut cut;
  private volatile boolean closed;

  /** Reads {@code response}'s body (a stream at its start) under {@code watch}'s limits. */
  public EventStream(Response response, StreamWatch watch) {
    this.response = Objects.requireNonNull(response, "response");
    this.watch = Objects.requireNonNull(watch, "watch");
    this.maxEventBytes = ResponseSizeLimit.of(response.request());
    this.reader = new SseReader(response.body().stream(), maxEventBytes, this::restartIdleTimer);
    this.deadlineTimer = watch.atDeadline(() -> cutOff(Cut.DEADLINE));
  }

  /**
   * The next event, or {@code null} when the stream has ended (the connection is then closed).
   *
   * @throws Interrupted if a limit cut the stream or the connection broke
   * @throws MalformedResponseException if an event is larger than the limit
   */
  public SseReader.Event next() throws Interrupted {
    if (closed && cut == null) {
      return null;
    }
    checkDeadline();
    if (cut != null) {
      throw interruption(null);
    }
    idleTimer = watch.start(() -> cutOff(Cut.IDLE));
    SseReader.Event event;
    try {
      event = reader.next();
    } catch (SseReader.EventTooLargeException e) {
      close();
      throw new MalformedResponseException(e.getMessage() + " (maxResponseBytes); not retried", response.status(),
          requestId(), null, e);
    } catch (IOException | RuntimeException e) {
      close();
      throw interruption(e);
    } finally {
      idleTimer.cancel();
    }
    if (cut != null) {
      throw interruption(null); // a closed stream may read as its end
    }
    if (event == null) {
      close();
    }
    return event;
  }

  /** The response the events come from (headers, request id). */
  public Response response() {
    return response;
  }

  public String requestId() {
    return response.headers().first(RateLimitHeaders.REQUEST_ID).orElse(null);
  }

  private void restartIdleTimer() {
    idleTimer.cancel();
    idleTimer = watch.start(() -> cutOff(Cut.IDLE));
  }

  private void checkDeadline() {
    if (cut == null && watch.timeLeft().map(left -> left.isZero()).orElse(false)) {
      cutOff(Cut.DEADLINE);
    }
  }

  private void cutOff(Cut why) {
    if (cut == null && !closed) {
      cut = why;
    }
    closeResponse();
  }

  private Interrupted interruption(Throwable cause) {
    close();
    Cut why = cut;
    if (why == Cut.IDLE) {
      return new Interrupted(new OpenAiTimeoutException("stream sent no data for "
          + Durations.format(watch.idleTimeout().orElseThrow()), watch.idleTimeout().orElseThrow(), cause));
    }
    if (why == Cut.DEADLINE) {
      return new Interrupted(new OpenAiTimeoutException("stream still running at the call's deadline ("
          + Durations.format(watch.deadline().orElseThrow()) + ")", watch.deadline().orElseThrow(), cause));
    }
    return new Interrupted(new OpenAiConnectionException("stream broken: " + cause, cause));
  }

  @Override
  public void close() {
    closed = true;
    deadlineTimer.cancel();
    closeResponse();
  }

  private void closeResponse() {
    try {
      response.close();
    } catch (RuntimeException ignored) {
      // closing a broken connection has nothing useful to report
    }
  }

  @Override
  public String toString() {
    return "EventStream[" + response + ", " + watch + (cut == null ? "" : ", cut " + cut) + "]";
  }
}
