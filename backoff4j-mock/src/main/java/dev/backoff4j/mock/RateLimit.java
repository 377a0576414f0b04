package dev.backoff4j.mock;

import java.time.Duration;
import java.util.Objects;

/**
 * Request and token budgets per API key, refilled continuously: a key may spend {@code requests}
 * requests and {@code tokens} tokens per {@code window}, and each budget regains {@code limit /
 * window} per unit of time, so {@code x-ratelimit-reset-*} is the time until the budget is full.
 *
 * <p>Every request is charged, including those that fail with an injected fault. Requests the
 * limiter itself rejects with a 429 still use up a request (as OpenAI counts failed requests, so
 * hammering a limited key keeps it limited) but no tokens; a budget never goes below zero.
 *
 * @param requests requests allowed per window (RPM when the window is a minute); at least 1
 * @param tokens tokens allowed per window (TPM); at least 1
 * @param window the period the limits refer to; positive
 */
public record RateLimit(long requests, long tokens, Duration window) {

  /** Default window, as OpenAI's RPM/TPM limits. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

  /**
   * The default: a billion requests and a trillion tokens a minute, so the headers are present but
   * no realistic test or benchmark is limited.
   */
  public static final RateLimit UNLIMITED =
      new RateLimit(1_000_000_000L, 1_000_000_000_000L, DEFAULT_WINDOW);

  /** Validates the limits, naming the bad setting. */
  public RateLimit {
    Objects.requireNonNull(window, "window");
    if (requests < 1) {
      throw new IllegalArgumentException("rpm (requests per window) must be at least 1, was " + requests);
    }
    if (tokens < 1) {
      throw new IllegalArgumentException("tpm (tokens per window) must be at least 1, was " + tokens);
    }
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
  }

  /** Limits per minute, OpenAI's usual unit. */
  public static RateLimit perMinute(long requests, long tokens) {
    return new RateLimit(requests, tokens, DEFAULT_WINDOW);
  }
}
