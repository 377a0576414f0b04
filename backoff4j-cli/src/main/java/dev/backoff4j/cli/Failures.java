package dev.backoff4j.cli;

import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.spi.Credentials;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;
import java.io.PrintWriter;
import java.util.Optional;

/** Turns a failed call into its exit status and an explanation on stderr. */
final class Failures {

  private Failures() {}

  /** 3 when the server's answer was final, 4 when retrying gave up, 5 for an interrupted stream. */
  static int exitCode(OpenAiException failure) {
    if (failure instanceof StreamInterruptedException) {
      return ExitCodes.STREAM_INTERRUPTED;
    }
    Optional<RetryHistory> history = RetryHistory.of(failure);
    if (history.isPresent()) {
      return history.get().reason() == GiveUpReason.NOT_RETRYABLE ? ExitCodes.REJECTED : ExitCodes.GAVE_UP;
    }
    if (failure instanceof OpenAiHttpException || failure instanceof MalformedResponseException) {
      return ExitCodes.REJECTED;
    }
    return ExitCodes.GAVE_UP;
  }

  /**
   * {@code error: <one line>} and, when retries were involved, {@code gave up after ...}, with
   * {@code credentials} (and anything key-shaped) masked.
   */
  static void print(OpenAiException failure, PrintWriter err, Iterable<String> credentials) {
    err.println(Credentials.mask("error: " + failure.getMessage(), credentials));
    RetryHistory.of(failure).filter(h -> h.attemptCount() > 1 || h.reason() != GiveUpReason.NOT_RETRYABLE)
        .ifPresent(history -> err.println(Credentials.mask(history.toString(), credentials)));
    err.flush();
  }
}
