package dev.backoff4j.openai.errors;

/** 403: the key may not use this resource (or region); never retried. */
public class PermissionDeniedException extends OpenAiHttpException {

  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(ApiError error) {
    super(error);
  }
}
