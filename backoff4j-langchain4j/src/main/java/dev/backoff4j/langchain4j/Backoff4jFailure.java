package dev.backoff4j.langchain4j;

import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What every exception thrown (or handed to a streaming listener) by backoff4j's LangChain4j client
 * can tell, whichever LangChain4j type it also is. Each one is a LangChain4j
 * {@link dev.langchain4j.exception.NonRetriableException}: backoff4j has already retried what could
 * be retried, so the model's own retry loop rethrows it at once.
 *
 * <pre>{@code
 * } catch (LangChain4jException e) {
 *   if (e instanceof Backoff4jFailure failure) {
 *     failure.statusCode();   // OptionalInt: 429
 *     failure.errorCode();    // Optional: "insufficient_quota"
 *     failure.attempts();     // 1
 *   }
 * }
 * }</pre>
 */
public interface Backoff4jFailure {

  /**
   * backoff4j's own exception for the last attempt, with every detail: an
   * {@link OpenAiHttpException} for an error status (headers, code, type, request id,
   * {@code x-ratelimit-*}), an {@code OpenAiConnectionException}, an {@code OpenAiTimeoutException},
   * a {@code StreamInterruptedException}, a {@code MalformedResponseException}, or whatever a pipeline
   * step threw. The retry history travels on it.
   */
  RuntimeException lastFailure();

  /** The HTTP status of the last response; empty when there was none (network failure, timeout). */
  default OptionalInt statusCode() {
    return lastFailure() instanceof OpenAiHttpException http ? OptionalInt.of(http.status()) : OptionalInt.empty();
  }

  /** The last error response's body as received (at most 64 KiB), decoded as UTF-8; empty without one. */
  default Optional<String> errorBody() {
    return lastFailure() instanceof OpenAiHttpException http
        ? Optional.of(new String(http.body(), StandardCharsets.UTF_8))
        : Optional.empty();
  }

  /** The error's {@code code}, else its {@code type} ({@code insufficient_quota}, {@code server_error}). */
  default Optional<String> errorCode() {
    return lastFailure() instanceof OpenAiHttpException http
        ? Optional.ofNullable(http.error().codeOrType())
        : Optional.empty();
  }

  /** Whether the last response was a 429 meaning money or quota has run out, which no wait fixes. */
  default boolean isQuotaExceeded() {
    return lastFailure() instanceof QuotaExceededException;
  }

  /** The server's retry hint on the last response, whether or not it was honoured. */
  default Optional<ServerHint> hint() {
    return lastFailure() instanceof OpenAiHttpException http ? http.hint() : Optional.empty();
  }

  /** Every attempt, the waits and why backoff4j stopped; empty when no retry policy gave up. */
  default Optional<RetryHistory> history() {
    return RetryHistory.of(lastFailure());
  }

  /** Why backoff4j stopped retrying, e.g. {@code NOT_RETRYABLE} or {@code RETRIES_EXHAUSTED}. */
  default Optional<GiveUpReason> giveUpReason() {
    return history().map(RetryHistory::reason);
  }

  /** How many requests were sent for this call. */
  default int attempts() {
    return history().map(RetryHistory::attemptCount).orElse(1);
  }
}
