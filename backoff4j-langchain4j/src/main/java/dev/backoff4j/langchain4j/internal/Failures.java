package dev.backoff4j.langchain4j.internal;

import dev.backoff4j.langchain4j.Backoff4jAuthenticationException;
import dev.backoff4j.langchain4j.Backoff4jCallException;
import dev.backoff4j.langchain4j.Backoff4jConnectionException;
import dev.backoff4j.langchain4j.Backoff4jFailure;
import dev.backoff4j.langchain4j.Backoff4jInvalidRequestException;
import dev.backoff4j.langchain4j.Backoff4jModelNotFoundException;
import dev.backoff4j.langchain4j.Backoff4jRateLimitException;
import dev.backoff4j.langchain4j.Backoff4jServerException;
import dev.backoff4j.langchain4j.Backoff4jStreamInterruptedException;
import dev.backoff4j.langchain4j.Backoff4jTimeoutException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.retry.AttemptTimeoutException;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.spi.Futures;

/**
 * Turns what the pipeline threw into the exception LangChain4j's caller gets: always a LangChain4j
 * {@code NonRetriableException} (backoff4j has retried already, and the model's loop rethrows those at
 * once), of the LangChain4j type the status implies where that type is non-retriable itself (401/403,
 * 404, other 4xx), else one of this module's own.
 */
public final class Failures {

  private Failures() {}

  /** The exception for {@code thrown}; an {@link Error} is rethrown as it is. */
  public static RuntimeException toLangChain4j(Throwable thrown) {
    Throwable failure = Futures.unwrap(thrown);
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure instanceof Backoff4jFailure && failure instanceof RuntimeException mapped) {
      return mapped;
    }
    String message = message(failure);
    if (failure instanceof OpenAiHttpException http) {
      return forStatus(message, http);
    }
    if (failure instanceof OpenAiTimeoutException || failure instanceof AttemptTimeoutException) {
      return new Backoff4jTimeoutException(message, (RuntimeException) failure);
    }
    if (failure instanceof OpenAiConnectionException connection) {
      return new Backoff4jConnectionException(message, connection);
    }
    if (failure instanceof StreamInterruptedException interrupted) {
      return new Backoff4jStreamInterruptedException(message, interrupted, 1);
    }
    RuntimeException runtime = failure instanceof RuntimeException r
        ? r
        : new IllegalStateException(String.valueOf(failure.getMessage()), failure);
    return new Backoff4jCallException(message, runtime);
  }

  private static RuntimeException forStatus(String message, OpenAiHttpException http) {
    int status = http.status();
    if (status == 401 || status == 403) {
      return new Backoff4jAuthenticationException(message, http);
    }
    if (status == 404) {
      return new Backoff4jModelNotFoundException(message, http);
    }
    if (status == 408) {
      return new Backoff4jTimeoutException(message, http);
    }
    if (status == 429) {
      return new Backoff4jRateLimitException(message, http);
    }
    if (status >= 500 && status < 600) {
      return new Backoff4jServerException(message, http);
    }
    if (status >= 400 && status < 500) {
      return new Backoff4jInvalidRequestException(message, http);
    }
    return new Backoff4jCallException(message, http); // 1xx, 3xx: nothing LangChain4j can read
  }

  /** backoff4j's line for the last attempt, then the history: "429 insufficient_quota (req_1): ...; gave up after 1 attempt ...". */
  static String message(Throwable failure) {
    String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
    return RetryHistory.of(failure)
        .map(RetryHistory::toString)
        .filter(history -> !message.contains(history))
        .map(history -> message + "; " + history)
        .orElse(message);
  }
}
