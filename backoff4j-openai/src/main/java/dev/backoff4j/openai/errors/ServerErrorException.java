package dev.backoff4j.openai.errors;

/** 5xx: the server or a gateway failed; retried. */
public class ServerErrorException extends OpenAiHttpException {

  private static final long serialVersionUID = 1L;

  public ServerErrorException(ApiError error) {
    super(error);
  }
}
