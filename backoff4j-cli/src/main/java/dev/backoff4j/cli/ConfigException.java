package dev.backoff4j.cli;

/** A usage or configuration problem found after parsing (exit status 2); the message says what to fix. */
final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ConfigException(String message) {
    super(message);
  }

  ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
