package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.ApiError;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.spi.ErrorResponses;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.spi.Futures;
import dev.backoff4j.time.ScheduledTask;
import dev.backoff4j.time.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
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
 *   <li>a non-streaming body is read in full (a connection reset mid-body is retried);
 *   <li>a streaming body is read up to its first event (a failure before it is retried; after it, the
 *       caller's stream reports the interruption). A server that stalls before the first event is cut
 *       off when the attempt's timeout runs out.
 * </ul>
 *
 * <p>Credentials found on the request ({@code Authorization}, {@code api-key}) are masked in the
 * server's message, should it echo them.
 */
public final class ResponseCheckStep implements Interceptor {

  private final TimeSource time;
  private final Executor blockingReads;

  /**
   * @param time the wall clock for {@code Retry-After} dates
   * @param blockingReads where the non-blocking path reads a stream's first event
   */
  public ResponseCheckStep(TimeSource time, Executor blockingReads) {
    this.time = Objects.requireNonNull(time, "time");
    this.blockingReads = Objects.requireNonNull(blockingReads, "blockingReads");
  }

  @Override
  public Response intercept(Chain chain) {
    return check(chain.proceed(chain.request()), chain.timeout());
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    CompletableFuture<Response> exchange = chain.proceedAsync(chain.request());
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

  private Executor runInlineIfBuffered(Request request) {
    return request.streaming() ? blockingReads : Runnable::run;
  }

  private Response check(Response response, Optional<Duration> timeout) {
    try {
      if (!response.isSuccessful()) {
        byte[] body = response.body().readAll(ErrorResponses.MAX_ERROR_BODY_BYTES);
        ApiError error = ErrorResponses.read(response.status(), response.headers(), body, time.now(),
            Secrets.of(response.request().headers()));
        throw OpenAiClassifier.toException(error);
      }
      if (response.body().isBuffered()) {
        return response;
      }
      if (response.request().streaming()) {
        return response.withBody(ResponseBody.of(untilFirstEvent(response, timeout)));
      }
      return response.withBody(ResponseBody.of(response.body().stream().readAllBytes()));
    } catch (IOException e) {
      closeQuietly(response);
      throw new OpenAiConnectionException("response body cut short: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(response);
      throw e;
    }
  }

  /** Reads to the first event; a server that stalls before it is cut off when the attempt's time is up. */
  private InputStream untilFirstEvent(Response response, Optional<Duration> timeout) throws IOException {
    if (timeout.isEmpty()) {
      return SsePrefetch.untilFirstEvent(response.body().stream());
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledTask watchdog = time.schedule(timeout.get().toNanos(), () -> {
      timedOut.set(true);
      closeQuietly(response);
    });
    try {
      return SsePrefetch.untilFirstEvent(response.body().stream());
    } catch (IOException | OpenAiConnectionException e) {
      if (timedOut.get()) {
        throw new OpenAiTimeoutException(timeout.get(), e);
      }
      throw e;
    } finally {
      watchdog.cancel();
    }
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
