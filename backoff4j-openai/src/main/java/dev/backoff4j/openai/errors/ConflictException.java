package dev.backoff4j.openai.errors;

/** 409: a conflicting concurrent change; retried. */
public class ConflictException extends OpenAiHttpException {

  private static final long serialVersionUID = 1L;

  public ConflictException(ApiError error) {
    super(error);
  }
}
