package dev.backoff4j.langchain4j;

import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.langchain4j.exception.NonRetriableException;
import java.util.List;
import java.util.Objects;

/**
 * A stream broke after its first event had been handed to LangChain4j: the connection failed, the
 * server went silent for longer than the attempt timeout, sent an error event, or ended the stream
 * before it was complete. Never retried (the text would be delivered twice); delivered to the
 * listener's {@code onError} once, and never followed by {@code onClose}, so a streaming handler gets
 * {@code onError} and not {@code onCompleteResponse}. What had arrived is here:
 * {@link #partialText()} and {@link #events()}.
 *
 * <p>{@link #lastFailure()} is backoff4j's {@link StreamInterruptedException}, caused by what broke
 * the stream (an {@code OpenAiConnectionException}, an {@code OpenAiTimeoutException}, or the
 * server's in-band error as an {@code OpenAiHttpException}).
 */
public class Backoff4jStreamInterruptedException extends NonRetriableException implements Backoff4jFailure {

  private static final long serialVersionUID = 1L;

  private final StreamInterruptedException lastFailure;
  private final int attempts;

  /**
   * @param message what the caller reads
   * @param lastFailure backoff4j's exception with the events and text received
   * @param attempts how many requests it took to open the stream
   */
  public Backoff4jStreamInterruptedException(String message, StreamInterruptedException lastFailure, int attempts) {
    super(message, Causes.safe(lastFailure));
    this.lastFailure = Objects.requireNonNull(lastFailure, "lastFailure");
    this.attempts = attempts;
    Causes.attach(this, lastFailure);
  }

  @Override
  public StreamInterruptedException lastFailure() {
    return lastFailure;
  }

  /**
   * The text received before the break: the first choice's {@code delta.content} of chat completion
   * chunks, or the {@code delta} of Responses API {@code response.output_text.delta} events; empty for
   * other event formats (their raw events are in {@link #events()}).
   */
  public String partialText() {
    return lastFailure.text();
  }

  /** The {@code data} of each event handed to LangChain4j, in order. */
  public List<String> events() {
    return lastFailure.events();
  }

  /** How many requests it took to open the stream (failures before its first event were retried). */
  @Override
  public int attempts() {
    return attempts;
  }
}
