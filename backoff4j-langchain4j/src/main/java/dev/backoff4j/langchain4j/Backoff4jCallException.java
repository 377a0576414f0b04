package dev.backoff4j.langchain4j;

import dev.langchain4j.exception.NonRetriableException;
import java.util.Objects;

/**
 * Any other failure of a call: a 2xx whose JSON body is not JSON, a status outside 2xx-5xx, a request
 * that cannot be sent as given, an exception from one of your interceptors, or an interrupt while
 * waiting (the thread's interrupt flag is kept).
 *
 * <p>The message is backoff4j's one line for the last attempt and the retry history; the API key never
 * appears in it. The details are in {@link Backoff4jFailure}.
 */
public class Backoff4jCallException extends NonRetriableException implements Backoff4jFailure {

  private static final long serialVersionUID = 1L;

  private final RuntimeException lastFailure;

  /**
   * @param message what the caller reads
   * @param lastFailure backoff4j's exception for the last attempt (its cause, unless that would make
   *     LangChain4j replace this exception; then it is suppressed)
   */
  public Backoff4jCallException(String message, RuntimeException lastFailure) {
    super(message, Causes.safe(lastFailure));
    this.lastFailure = Objects.requireNonNull(lastFailure, "lastFailure");
    Causes.attach(this, lastFailure);
  }

  @Override
  public RuntimeException lastFailure() {
    return lastFailure;
  }
}
