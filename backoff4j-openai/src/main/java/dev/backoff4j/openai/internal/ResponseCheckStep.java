package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.ApiError;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.spi.ErrorResponses;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import dev.backoff4j.openai.spi.ResponseSizeLimit;
import dev.backoff4j.spi.Futures;
import dev.backoff4j.time.ScheduledTask;
import dev.backoff4j.time.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The end of each attempt: turns a non-2xx response into its typed exception (reading the error body,
 * at most {@link ErrorResponses#MAX_ERROR_BODY_BYTES}), and makes sure the part of a success that
 * may still fail is read inside the attempt, so that failure is retried:
 *
 * <ul>
 *   <li>a non-streaming body is read in full (a connection reset mid-body is retried), at most the
 *       {@link ResponseSizeLimit}: a larger one (announced by {@code Content-Length}, or found while
 *       reading) is a {@link MalformedResponseException}, not retried;
 *   <li>a streaming body is read up to its first output event ({@link StreamPrefetch}: a failure before
 *       it is retried; after it, the caller's stream reports the interruption). A server that stalls
 *       before that is cut off when the attempt's timeout runs out.
 * </ul>
 *
 * <p>The limit travels on the request to the transport, as its {@link ResponseSizeLimit} tag, so a
 * transport that buffers bodies stops at it too. A redirect (3xx) is never followed — the request
 * carries the key, which must not reach another origin — and fails naming its {@code Location}.
 * Credentials found on the request ({@code Authorization}, {@code api-key}) are masked in the server's
 * message, should it echo them.
 */
public final class ResponseCheckStep implements Interceptor {

  private final TimeSource time;
  private final Executor blockingReads;
  private final ResponseSizeLimit limit;

  /**
   * @param time the wall clock for {@code Retry-After} dates
   * @param blockingReads where the non-blocking path reads a stream's first event
   * @param limit the most a body (or one event of a stream) may take
   */
  public ResponseCheckStep(TimeSource time, Executor blockingReads, ResponseSizeLimit limit) {
    this.time = Objects.requireNonNull(time, "time");
    this.blockingReads = Objects.requireNonNull(blockingReads, "blockingReads");
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  @Override
  public Response intercept(Chain chain) {
    return check(chain.proceed(limited(chain.request())), chain.timeout());
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    CompletableFuture<Response> exchange = chain.proceedAsync(limited(chain.request()));
    CompletableFuture<Response> checked = new CompletableFuture<>();
    exchange.whenCompleteAsync((response, failure) -> {
      if (failure != null) {
        checked.completeExceptionally(failure);
        return;
      }
      // A cancel while the first event is awaited closes the stream, which ends the blocked read.
      checked.whenComplete((ignored, outcome) -> {
        if (checked.isCancelled()) {
          closeQuietly(response);
        }
      });
      try {
        Response ready = check(response, chain.timeout());
        if (!checked.complete(ready)) {
          closeQuietly(ready); // the caller cancelled meanwhile: nobody will read it
        }
      } catch (Throwable e) {
        checked.completeExceptionally(e);
      }
    }, runInlineIfBuffered(chain.request()));
    return Futures.propagateCancel(checked, exchange);
  }

  private Request limited(Request request) {
    return request.withTag(ResponseSizeLimit.class, limit);
  }

  private Executor runInlineIfBuffered(Request request) {
    return request.streaming() ? blockingReads : Runnable::run;
  }

  private Response check(Response response, Optional<Duration> timeout) {
    try {
      if (!response.isSuccessful()) {
        byte[] body = response.body().readAll(ErrorResponses.MAX_ERROR_BODY_BYTES);
        List<String> secrets = Secrets.of(response.request().headers());
        ApiError error = ErrorResponses.read(response.status(), response.headers(), body, time.now(), secrets);
        throw OpenAiClassifier.toException(Redirects.isRedirect(error) ? Redirects.describe(error, secrets) : error);
      }
      if (response.request().streaming()) {
        return response.withBody(ResponseBody.of(untilFirstEvent(response, timeout)));
      }
      if (response.body().isBuffered()) {
        checkSize(response, response.body().bytes().length);
        return response;
      }
      response.headers().first("content-length").ifPresent(length -> checkDeclaredSize(response, length));
      byte[] body = response.body().readAll(limit.maxBytes() + 1);
      checkSize(response, body.length);
      return response.withBody(ResponseBody.of(body));
    } catch (IOException e) {
      closeQuietly(response);
      throw new OpenAiConnectionException("response body cut short: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(response);
      throw e;
    }
  }

  private void checkDeclaredSize(Response response, String length) {
    try {
      checkSize(response, Long.parseLong(length.trim()));
    } catch (NumberFormatException ignored) {
      // a garbled length is the transport's problem; the read below is bounded anyway
    }
  }

  private void checkSize(Response response, long size) {
    if (size > limit.maxBytes()) {
      throw tooLarge(response, limit.maxBytes());
    }
  }

  private static MalformedResponseException tooLarge(Response response, int maxBytes) {
    return tooLarge(response.status(), response.headers().first(RateLimitHeaders.REQUEST_ID).orElse(null), maxBytes);
  }

  /** The refusal of a body larger than {@code maxBytes}: the same words whichever transport found it. */
  public static MalformedResponseException tooLarge(int status, String requestId, int maxBytes) {
    return new MalformedResponseException("response body larger than " + ByteSizes.format(maxBytes)
        + " (maxResponseBytes); not retried", status, requestId, null, null);
  }

  /** Reads to the first output event; a server that stalls before it is cut off when the attempt's time is up. */
  private InputStream untilFirstEvent(Response response, Optional<Duration> timeout) throws IOException {
    if (timeout.isEmpty()) {
      return StreamPrefetch.untilFirstOutput(response, time.now());
    }
    // Whoever settles first wins: the watchdog (the stream is closed, the attempt timed out) or the
    // read (the stream is handed on). A watchdog already running when the read ends cannot close a
    // stream the caller was given.
    AtomicBoolean settled = new AtomicBoolean();
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledTask watchdog = time.schedule(timeout.get().toNanos(), () -> {
      if (settled.compareAndSet(false, true)) {
        timedOut.set(true);
        closeQuietly(response);
      }
    });
    InputStream ready;
    try {
      ready = StreamPrefetch.untilFirstOutput(response, time.now());
    } catch (IOException | OpenAiConnectionException e) {
      if (timedOut.get()) {
        throw new OpenAiTimeoutException(timeout.get(), e);
      }
      throw e;
    } finally {
      watchdog.cancel();
    }
    if (!settled.compareAndSet(false, true)) {
      throw new OpenAiTimeoutException(timeout.get(), null); // the first event came as time ran out
    }
    return ready;
  }

  private static void closeQuietly(Response response) {
    try {
      response.close();
    } catch (RuntimeException ignored) {
      // the original failure matters more
    }
  }

  @Override
  public String toString() {
    return "ResponseCheckStep";
  }
}
