package dev.backoff4j.openai.gate.internal;

import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.gate.OutageGateTimeoutException;
import dev.backoff4j.openai.pacing.PacingTimeoutException;
import dev.backoff4j.retry.AttemptTimeoutException;
import java.io.IOException;

/** What an attempt's outcome says about the endpoint, as the gate counts it. */
enum Signals {
  /** The server answered: a 2xx, a 4xx (429s included), a malformed 200. Resets the failure run. */
  ALIVE,
  /** A transient failure of the endpoint: a 5xx, a connection failure, an attempt that timed out. */
  FAILED,
  /** Says nothing about the endpoint: a cancel, a local wait that ran out, an interceptor's own error. */
  NEUTRAL;

  static Signals of(Throwable failure) {
    if (failure == null || failure instanceof MalformedResponseException) {
      return ALIVE;
    }
    if (failure instanceof OpenAiHttpException http) {
      return http.status() >= 500 ? FAILED : ALIVE;
    }
    if (failure instanceof PacingTimeoutException || failure instanceof OutageGateTimeoutException) {
      return NEUTRAL; // held back before sending: the endpoint was never asked
    }
    if (failure instanceof OpenAiConnectionException || failure instanceof OpenAiTimeoutException
        || failure instanceof AttemptTimeoutException || failure instanceof IOException) {
      return FAILED;
    }
    return NEUTRAL;
  }

  /** A short line for messages: {@code 503 (req_abc)}, {@code connection failed}. */
  static String describe(Throwable failure) {
    if (failure instanceof OpenAiException openAi) {
      return openAi.summary();
    }
    return failure == null ? null : failure.getClass().getSimpleName();
  }
}
