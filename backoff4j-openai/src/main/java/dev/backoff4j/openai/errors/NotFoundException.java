package dev.backoff4j.openai.errors;

/** 404: no such model, deployment or path; never retried. */
public class NotFoundException extends OpenAiHttpException {

  private static final long serialVersionUID = 1L;

  public NotFoundException(ApiError error) {
    super(error);
  }
}
