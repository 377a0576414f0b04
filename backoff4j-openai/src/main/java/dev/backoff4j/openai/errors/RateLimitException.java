package dev.backoff4j.openai.errors;

/** 429 for a rate limit (requests or tokens per minute): retried, after the server's hint when it gave one. Quota exhaustion is {@link QuotaExceededException} instead, which this is not a supertype of. */
public class RateLimitException extends OpenAiHttpException {

  private static final long serialVersionUID = 1L;

  public RateLimitException(ApiError error) {
    super(error);
  }
}
