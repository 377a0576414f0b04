package dev.backoff4j.openai.spi;

import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One step of a {@link dev.backoff4j.openai.OpenAiPipeline}, in the manner of OkHttp's interceptors: it
 * may change the request, call {@link Chain#proceed} zero or more times (the retry step calls it once
 * per attempt), and change or replace the response.
 *
 * <p>This is the two-path contract the built-in steps implement: the blocking and the non-blocking
 * path go through the same steps, so a step implements both, and the two must behave alike. Most
 * steps an application needs have a single-method form that is written once for both paths —
 * {@link dev.backoff4j.openai.http.Interceptors#mapRequest} and
 * {@link dev.backoff4j.openai.http.Interceptors#observe}; implement this interface only for a step that
 * must decide when and how often the rest of the chain runs.
 *
 * <p>Failures travel as unchecked {@link dev.backoff4j.openai.errors.OpenAiException}s (thrown, or
 * completing the future exceptionally). A non-blocking step that hands out a future other than the
 * one doing the work passes a caller's cancel back with {@link dev.backoff4j.spi.Futures#propagateCancel}.
 */
public interface Interceptor {

  /** Runs this step on the blocking path. */
  Response intercept(Chain chain);

  /** Runs this step on the non-blocking path; must not block the calling thread. */
  CompletableFuture<Response> interceptAsync(Chain chain);

  /** The rest of the pipeline, as seen from one step. Immutable. */
  interface Chain {

    Request request();

    /**
     * The time the rest of this exchange may take; empty for no limit. Before the attempt step it is
     * the time left until the call's deadline (steps that wait — the outage gate, the pacer — wait at
     * most that long); from the attempt step on, it is the attempt's timeout, which the transport
     * enforces.
     */
    Optional<Duration> timeout();

    /** This chain with another timeout, for the steps after the caller. */
    Chain withTimeout(Optional<Duration> timeout);

    /** Runs the remaining steps on {@code request}, blocking. */
    Response proceed(Request request);

    /** Runs the remaining steps on {@code request} without blocking. */
    CompletableFuture<Response> proceedAsync(Request request);
  }
}
