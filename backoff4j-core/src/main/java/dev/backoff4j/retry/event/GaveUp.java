package dev.backoff4j.retry.event;

import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;

/**
 * @param history every attempt, the total wait and the reason
 * @param failure the last attempt's failure (what the caller receives), or {@code null} if the
 *     execution ends with a result the classifier did not accept
 * @param result that result, when {@code failure} is {@code null}
 */
public record GaveUp(RetryHistory history, Throwable failure, Object result) {

  public GiveUpReason reason() {
    return history.reason();
  }
}
