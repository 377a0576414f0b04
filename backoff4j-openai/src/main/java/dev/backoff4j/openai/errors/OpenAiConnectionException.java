package dev.backoff4j.openai.errors;

/**
 * The exchange failed on the network: connection refused or reset, DNS failure, TLS failure, or a
 * response body cut short. Retried.
 */
public class OpenAiConnectionException extends OpenAiException {

  private static final long serialVersionUID = 1L;

  public OpenAiConnectionException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String summary() {
    return "connection failed";
  }
}
