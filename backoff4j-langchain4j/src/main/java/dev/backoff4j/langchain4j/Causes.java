package dev.backoff4j.langchain4j;

import dev.langchain4j.exception.HttpException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Keeps this module's exceptions intact through LangChain4j's {@code ExceptionMapper}, which follows
 * {@code getCause()} to the root and, when the root is an {@link HttpException} or an
 * {@link UnresolvedAddressException}, throws away the exception it was given and builds its own from
 * that root (a retriable {@code RateLimitException} out of a 429, so the model's retry loop would run
 * again). A failure whose chain ends in one of those is therefore attached as suppressed, not as
 * the cause.
 */
final class Causes {

  private Causes() {}

  /** {@code failure} when LangChain4j would keep an exception caused by it, else {@code null}. */
  static Throwable safe(Throwable failure) {
    return failure == null || rebuiltByLangChain4j(failure) ? null : failure;
  }

  /** Adds {@code failure} to {@code exception}'s suppressed exceptions when it could not be its cause. */
  static void attach(Throwable exception, Throwable failure) {
    if (failure != null && exception.getCause() != failure) {
      exception.addSuppressed(failure);
    }
  }

  private static boolean rebuiltByLangChain4j(Throwable failure) {
    Throwable root = failure;
    // the mapper's own walk: causes only, stopping at a self-cause
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 100; depth++) {
      root = root.getCause();
    }
    return root instanceof HttpException || root instanceof UnresolvedAddressException;
  }
}
