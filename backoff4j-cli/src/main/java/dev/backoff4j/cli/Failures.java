package dev.backoff4j.cli;

import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** Turns a failed call into its exit status and an explanation on stderr. */
final class Failures {

  private Failures() {}

  /** 3 when the server's answer was final, 4 when retrying gave up, 5 for an interrupted stream. */
  static int exitCode(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StreamInterruptedException) {
      return ExitCodes.STREAM_INTERRUPTED;
    }
    Optional<RetryHistory> history = RetryHistory.of(cause);
    if (history.isPresent()) {
      return history.get().reason() == GiveUpReason.NOT_RETRYABLE ? ExitCodes.REJECTED : ExitCodes.GAVE_UP;
    }
    if (cause instanceof OpenAiHttpException || cause instanceof MalformedResponseException) {
      return ExitCodes.REJECTED;
    }
    return ExitCodes.GAVE_UP;
  }

  /** {@code error: <one line>} and, when retries were involved, {@code gave up after ...}. */
  static void print(Throwable failure, PrintWriter err) {
    Throwable cause = unwrap(failure);
    err.println("error: " + cause.getMessage());
    RetryHistory.of(cause).filter(h -> h.attemptCount() > 1 || h.reason() != GiveUpReason.NOT_RETRYABLE)
        .ifPresent(history -> err.println(history));
    err.flush();
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
