package dev.backoff4j.langchain4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.langchain4j.Backoff4jStreamInterruptedException;
import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.spi.ErrorResponses;
import dev.backoff4j.retry.event.AttemptStarted;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One streaming call, run on a thread of its own from start to end:
 *
 * <ol>
 *   <li>the pipeline opens the stream, retrying every failure before the first event (an error
 *       status, a reset, a stall, a stream that closes empty) as any other call; if it gives up, the
 *       listener gets {@code onError} with the same exception a blocking call would throw;
 *   <li>{@code onOpen}, once, for the attempt that delivered the first event;
 *   <li>LangChain4j's parser reads the events and this call hands each on, keeping a copy;
 *   <li>the end: {@code onClose} when the stream completed (or the caller cancelled it), else
 *       {@code onError} with a {@link Backoff4jStreamInterruptedException} holding what had arrived —
 *       never both, so a streaming handler never hears of completion after an error.
 * </ol>
 *
 * <p>Nothing is retried once an event has been handed on: the text would be delivered twice.
 */
final class StreamCall implements Runnable {

  private final OpenAiPipeline pipeline;
  private final HttpRequest source;
  private final ServerSentEventParser parser;
  private final ServerSentEventListener listener;

  StreamCall(OpenAiPipeline pipeline, HttpRequest source, ServerSentEventParser parser,
      ServerSentEventListener listener) {
    this.pipeline = pipeline;
    this.source = source;
    this.parser = parser;
    this.listener = listener;
  }

  @Override
  public void run() {
    AttemptCount attempts = new AttemptCount();
    Response response;
    try {
      Request request = Requests.toBackoff4j(source, true).withTag(CallListener.class, attempts);
      response = pipeline.execute(request);
    } catch (RuntimeException e) {
      deliverError(Failures.toLangChain4j(e));
      return;
    } catch (Error e) {
      deliverError(e);
      throw e;
    }
    try (response) {
      read(response, attempts.value());
    } catch (RuntimeException e) {
      // closing a broken connection has nothing to add
    }
  }

  private void read(Response response, int attempts) {
    SuccessfulHttpResponse opened = SuccessfulHttpResponse.builder()
        .statusCode(response.status())
        .headers(response.headers().toMap())
        .build();
    quietly(() -> listener.onOpen(opened));
    IdleCutStream body = new IdleCutStream(response.body().stream(), pipeline.streamWatch(), response::close);
    Forwarding forwarding = new Forwarding(body);
    try {
      parser.parse(body, forwarding);
    } catch (RuntimeException e) {
      forwarding.onError(e); // a parser of the caller's that throws instead of reporting
    }
    finish(response, body, forwarding, attempts);
  }

  private void finish(Response response, IdleCutStream body, Forwarding forwarding, int attempts) {
    if (forwarding.cancelledByCaller()) {
      quietly(listener::onClose); // as LangChain4j's own client does; its handlers ignore a cancelled close
      return;
    }
    OpenAiException cause;
    if (forwarding.serverError != null) {
      cause = OpenAiClassifier.toException(ErrorResponses.read(response.status(), response.headers(),
          forwarding.serverError.getBytes(StandardCharsets.UTF_8), pipeline.retryPolicy().timeSource().now(),
          secrets(response.request().headers())));
    } else if (forwarding.readFailure != null) {
      cause = body.timedOut()
          ? new OpenAiTimeoutException(pipeline.streamWatch().idleTimeout().orElse(null), forwarding.readFailure)
          : new OpenAiConnectionException("stream broken: " + forwarding.readFailure, forwarding.readFailure);
    } else if (!forwarding.events.complete()) {
      cause = new OpenAiConnectionException("stream ended before it was complete (no [DONE] or final event)", null);
    } else {
      quietly(listener::onClose);
      return;
    }
    StreamInterruptedException interrupted =
        new StreamInterruptedException(forwarding.events.data(), forwarding.events.text(), cause);
    deliverError(new Backoff4jStreamInterruptedException(interrupted.getMessage(), interrupted, attempts));
  }

  private void deliverError(Throwable error) {
    quietly(() -> listener.onError(error));
  }

  /** The credentials the request carried, kept out of the server's echoed message. */
  private static List<String> secrets(Headers headers) {
    List<String> secrets = new ArrayList<>();
    headers.first("api-key").ifPresent(secrets::add);
    headers.first("authorization").ifPresent(value -> {
      secrets.add(value);
      if (value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
        secrets.add(value.substring(7).trim());
      }
    });
    return secrets;
  }

  private static void quietly(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException ignored) {
      // a listener's failure must not change what the stream reports, as in LangChain4j's own client
    }
  }

  /**
   * What the parser calls: hands each event on and keeps a copy, stops at the server's in-band error
   * (handing that on would make LangChain4j report it and then complete), and keeps the first read
   * failure for the end.
   */
  private final class Forwarding implements ServerSentEventListener {

    private final IdleCutStream body;
    final StreamEvents events = new StreamEvents();
    volatile String serverError;
    volatile Throwable readFailure;
    private volatile boolean stopped;
    private volatile ServerSentEventContext context;

    Forwarding(IdleCutStream body) {
      this.body = body;
    }

    @Override
    public void onEvent(ServerSentEvent event) {
      if (accept(event)) {
        quietly(() -> listener.onEvent(event));
      }
    }

    @Override
    public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
      this.context = context;
      if (accept(event)) {
        quietly(() -> listener.onEvent(event, context));
      }
    }

    private boolean accept(ServerSentEvent event) {
      if (stopped) {
        return false;
      }
      JsonNode json = StreamEvents.parse(event);
      String error = StreamEvents.errorBody(event, json);
      if (error != null) {
        serverError = error;
        stopped = true;
        try {
          body.close(); // ends the parser's loop; what it reports after this is ignored
        } catch (java.io.IOException | RuntimeException ignored) {
          // closed either way
        }
        return false;
      }
      events.add(event, json);
      return true;
    }

    @Override
    public void onError(Throwable failure) {
      if (!stopped && readFailure == null) {
        readFailure = failure;
      }
    }

    boolean cancelledByCaller() {
      ServerSentEventContext seen = context;
      if (seen == null) {
        return false;
      }
      try {
        return seen.parsingHandle().isCancelled();
      } catch (RuntimeException e) {
        return false;
      }
    }
  }

  /** Counts the attempts it took to open the stream. */
  private static final class AttemptCount implements CallListener {

    private final AtomicInteger count = new AtomicInteger();

    @Override
    public void onAttemptStarted(AttemptStarted event) {
      count.incrementAndGet();
    }

    int value() {
      return Math.max(1, count.get());
    }
  }
}
