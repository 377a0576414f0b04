package dev.backoff4j.openai.internal;

/** Thrown by response parsers when JSON lacks what the endpoint always returns; becomes a malformed-response exception. */
public final class ShapeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ShapeException(String message) {
    super(message);
  }
}
