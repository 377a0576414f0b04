package dev.backoff4j.mock.internal;

/** A request the mock rejects with 400 {@code invalid_request_error}, naming the parameter. */
public final class BadParameterException extends IllegalArgumentException {
  private final String param;

  public BadParameterException(String param, String message) {
    super(message);
    this.param = param;
  }

  /** The offending request parameter, or null. */
  public String param() {
    return param;
  }
}
