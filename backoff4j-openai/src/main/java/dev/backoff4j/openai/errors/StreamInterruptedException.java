package dev.backoff4j.openai.errors;

import java.util.List;

/**
 * A stream failed after its first event was delivered to the caller. Never retried automatically:
 * a retry would deliver the same text again. Carries everything received so far, so the caller can
 * keep it, show it, or ask for a continuation.
 */
public class StreamInterruptedException extends OpenAiException {

  private static final long serialVersionUID = 1L;

  private final List<String> events;
  private final String text;

  /**
   * @param events the raw {@code data:} payloads delivered, in order
   * @param text the text accumulated from them
   * @param cause what broke the stream
   */
  public StreamInterruptedException(List<String> events, String text, Throwable cause) {
    super("stream interrupted after " + events.size() + (events.size() == 1 ? " event: " : " events: ")
        + (cause == null ? "unknown cause" : cause.getMessage()), cause);
    this.events = List.copyOf(events);
    this.text = text;
  }

  /** The raw JSON of each event delivered before the interruption. */
  public List<String> events() {
    return events;
  }

  /** The text delivered before the interruption. */
  public String text() {
    return text;
  }

  @Override
  public String summary() {
    return "stream interrupted after " + events.size() + " events";
  }
}
