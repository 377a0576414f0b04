package dev.backoff4j.openai.spi;

/**
 * Names of the HTTP headers OpenAI uses to describe rate limits and retry advice.
 *
 * <p>All names are lower case, as HTTP/2 sends them; HTTP/1.1 header lookup is case-insensitive.
 */
public final class RateLimitHeaders {
  /** Requests allowed per window, e.g. {@code 500}. */
  public static final String LIMIT_REQUESTS = "x-ratelimit-limit-requests";
  /** Tokens allowed per window, e.g. {@code 30000}. */
  public static final String LIMIT_TOKENS = "x-ratelimit-limit-tokens";
  /** Requests left before the limit is hit. */
  public static final String REMAINING_REQUESTS = "x-ratelimit-remaining-requests";
  /** Tokens left before the limit is hit. */
  public static final String REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
  /** Time until the request budget is full again, as a Go duration such as {@code 1s} or {@code 6m0s}. */
  public static final String RESET_REQUESTS = "x-ratelimit-reset-requests";
  /** Time until the token budget is full again, as a Go duration. */
  public static final String RESET_TOKENS = "x-ratelimit-reset-tokens";
  /** OpenAI's own retry hint in whole milliseconds; more precise than {@link #RETRY_AFTER}. */
  public static final String RETRY_AFTER_MS = "retry-after-ms";
  /** The standard HTTP hint: delay in seconds or an HTTP date (RFC 9110 section 10.2.3). */
  public static final String RETRY_AFTER = "retry-after";

  /** Azure OpenAI's millisecond retry hint. */
  public static final String AZURE_RETRY_AFTER_MS = "x-ms-retry-after-ms";
  /** {@code true} or {@code false}: the server's explicit opinion on whether a retry can succeed. */
  public static final String SHOULD_RETRY = "x-should-retry";
  /** Identifies one request in the provider's logs; worth quoting in error reports. */
  public static final String REQUEST_ID = "x-request-id";

  private RateLimitHeaders() {}
}
