package dev.backoff4j.retry;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides, for each attempt's outcome, whether it is a success, worth retrying, or final.
 *
 * <p>An outcome is either a result or a failure: {@code failure == null} means the attempt returned
 * {@code result} (which may itself be {@code null}); otherwise it threw {@code failure}. Result-based
 * retry is ordinary: an HTTP response with status 503 is a result, and a classifier may answer
 * {@link Verdict#RETRY} for it.
 *
 * <p>Edge cases: {@link Verdict#SUCCESS} for a failure is treated as {@link Verdict#STOP} (a thrown
 * exception is never turned into a return value); a classifier that throws stops the execution and its
 * exception is added as suppressed to the outcome's failure. Classifiers run once per attempt, on the
 * attempt's thread, and should not allocate on the success path.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface RetryClassifier<R> {

  Verdict classify(R result, Throwable failure);

  /**
   * Retries every {@link Exception} except {@link InterruptedException}; every result is a success;
   * {@link Error}s stop. The default, as in the recipe, and right for code that only throws on
   * transient failures.
   */
  static <R> RetryClassifier<R> retryExceptions() {
    return retryWhen(failure -> true, result -> false);
  }

  /**
   * Retries failures matching {@code retryFailure} and results matching {@code retryResult}; other
   * results succeed and other failures stop. {@link InterruptedException} and {@link Error} always stop.
   */
  static <R> RetryClassifier<R> retryWhen(
      Predicate<? super Throwable> retryFailure, Predicate<? super R> retryResult) {
    Objects.requireNonNull(retryFailure, "retryFailure");
    Objects.requireNonNull(retryResult, "retryResult");
    return (result, failure) -> {
      if (failure == null) {
        return retryResult.test(result) ? Verdict.RETRY : Verdict.SUCCESS;
      }
      if (failure instanceof InterruptedException || failure instanceof Error) {
        return Verdict.STOP;
      }
      return retryFailure.test(failure) ? Verdict.RETRY : Verdict.STOP;
    };
  }
}
