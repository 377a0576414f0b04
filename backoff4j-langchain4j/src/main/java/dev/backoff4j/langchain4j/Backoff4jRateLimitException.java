package dev.backoff4j.langchain4j;

import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.langchain4j.exception.NonRetriableException;
import java.util.Objects;

/**
 * A 429 after backoff4j's retries: the rate limit outlasted the retry policy, the server asked for a
 * longer wait than the policy accepts or than the deadline leaves, or the quota is used up
 * ({@link #isQuotaExceeded()}; never retried, since no wait brings money back).
 *
 * <p>Not a LangChain4j {@code RateLimitException}: that type is retriable, and the model would send
 * the request again. Catch this type, {@link NonRetriableException} or {@code LangChain4jException}.
 *
 * <p>The message is backoff4j's one line for the last attempt and the retry history; the API key never
 * appears in it. The details are in {@link Backoff4jFailure}.
 */
public class Backoff4jRateLimitException extends NonRetriableException implements Backoff4jFailure {

  private static final long serialVersionUID = 1L;

  private final RuntimeException lastFailure;

  /**
   * @param message what the caller reads
   * @param lastFailure backoff4j's exception for the last attempt (its cause, unless that would make
   *     LangChain4j replace this exception; then it is suppressed)
   */
  public Backoff4jRateLimitException(String message, OpenAiHttpException lastFailure) {
    super(message, Causes.safe(lastFailure));
    this.lastFailure = Objects.requireNonNull(lastFailure, "lastFailure");
    Causes.attach(this, lastFailure);
  }

  @Override
  public RuntimeException lastFailure() {
    return lastFailure;
  }
}
