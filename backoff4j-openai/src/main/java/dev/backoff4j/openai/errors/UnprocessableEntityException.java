package dev.backoff4j.openai.errors;

/** 422: the request is well-formed but cannot be processed; never retried. */
public class UnprocessableEntityException extends OpenAiHttpException {

  private static final long serialVersionUID = 1L;

  public UnprocessableEntityException(ApiError error) {
    super(error);
  }
}
