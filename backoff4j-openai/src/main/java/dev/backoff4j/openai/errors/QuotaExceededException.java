package dev.backoff4j.openai.errors;

/** 429 for an exhausted quota or spend limit ({@code insufficient_quota}, {@code credit_balance_exhausted}, ...): never retried, because a quota does not come back in seconds. Deliberately not a {@link RateLimitException}, so a {@code catch (RateLimitException e)} that waits and retries cannot catch it. */
public class QuotaExceededException extends OpenAiHttpException {

  private static final long serialVersionUID = 1L;

  public QuotaExceededException(ApiError error) {
    super(error);
  }
}
