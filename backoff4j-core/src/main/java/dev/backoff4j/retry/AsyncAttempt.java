package dev.backoff4j.retry;

import java.util.concurrent.CompletionStage;

/**
 * One try of a non-blocking operation. It should return quickly; the work happens in the stage.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface AsyncAttempt<T> {

  CompletionStage<T> run(AttemptContext context);
}
