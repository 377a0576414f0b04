package dev.backoff4j.openai.errors;

/** 401: the API key is missing, wrong or revoked; never retried. */
public class AuthenticationException extends OpenAiHttpException {

  private static final long serialVersionUID = 1L;

  public AuthenticationException(ApiError error) {
    super(error);
  }
}
