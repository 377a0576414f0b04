package dev.backoff4j.openai.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One step of the {@link Pipeline}, in the manner of OkHttp's interceptors: it may change the request,
 * call {@link Chain#proceed} zero or more times (a retry step calls it once per attempt), and change or
 * replace the response. Both the blocking and the non-blocking path go through the same interceptors,
 * so each implements both.
 *
 * <p>Failures travel as unchecked {@link dev.backoff4j.openai.errors.OpenAiException}s (thrown, or
 * completing the future exceptionally).
 */
public interface Interceptor {

  Response intercept(Chain chain);

  CompletableFuture<Response> interceptAsync(Chain chain);

  /** The rest of the pipeline, as seen from one interceptor. Immutable. */
  interface Chain {

    Request request();

    /**
     * The time the rest of this exchange may take: set by the retry step to the attempt's share of the
     * deadline, used by the transport. Empty for no limit.
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
