package dev.backoff4j.openai.errors;

/** 400: the request is invalid; never retried. */
public class BadRequestException extends OpenAiHttpException {

  private static final long serialVersionUID = 1L;

  public BadRequestException(ApiError error) {
    super(error);
  }
}
