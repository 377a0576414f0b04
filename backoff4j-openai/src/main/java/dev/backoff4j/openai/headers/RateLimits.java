package dev.backoff4j.openai.headers;

import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.spi.GoDuration;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of OpenAI's {@code x-ratelimit-*} headers: limits and remaining capacity for requests and
 * tokens, and the time until each resets (sent as Go durations: {@code 1s}, {@code 6m0s},
 * {@code 12ms}). Each value is independently optional: absent headers, {@code -1} and garbage read as
 * empty, never as an exception. Immutable.
 */
public final class RateLimits {

  private static final RateLimits NONE = new RateLimits(null, null, null, null, null, null);

  private final Long limitRequests;
  private final Long limitTokens;
  private final Long remainingRequests;
  private final Long remainingTokens;
  private final Duration resetRequests;
  private final Duration resetTokens;

  private RateLimits(Long limitRequests, Long limitTokens, Long remainingRequests, Long remainingTokens,
      Duration resetRequests, Duration resetTokens) {
    this.limitRequests = limitRequests;
    this.limitTokens = limitTokens;
    this.remainingRequests = remainingRequests;
    this.remainingTokens = remainingTokens;
    this.resetRequests = resetRequests;
    this.resetTokens = resetTokens;
  }

  /** A snapshot with no values. */
  public static RateLimits none() {
    return NONE;
  }

  /** Reads the rate-limit headers in {@code headers}; never throws. */
  public static RateLimits from(Headers headers) {
    RateLimits limits = new RateLimits(
        count(headers, RateLimitHeaders.LIMIT_REQUESTS),
        count(headers, RateLimitHeaders.LIMIT_TOKENS),
        count(headers, RateLimitHeaders.REMAINING_REQUESTS),
        count(headers, RateLimitHeaders.REMAINING_TOKENS),
        headers.first(RateLimitHeaders.RESET_REQUESTS).flatMap(GoDuration::parse).orElse(null),
        headers.first(RateLimitHeaders.RESET_TOKENS).flatMap(GoDuration::parse).orElse(null));
    return limits.isEmpty() ? NONE : limits;
  }

  public OptionalLong limitRequests() {
    return optional(limitRequests);
  }

  public OptionalLong limitTokens() {
    return optional(limitTokens);
  }

  public OptionalLong remainingRequests() {
    return optional(remainingRequests);
  }

  public OptionalLong remainingTokens() {
    return optional(remainingTokens);
  }

  /** Time until the request limit is fully restored. */
  public Optional<Duration> resetRequests() {
    return Optional.ofNullable(resetRequests);
  }

  /** Time until the token limit is fully restored. */
  public Optional<Duration> resetTokens() {
    return Optional.ofNullable(resetTokens);
  }

  /** Whether no header was readable. */
  public boolean isEmpty() {
    return limitRequests == null && limitTokens == null && remainingRequests == null && remainingTokens == null
        && resetRequests == null && resetTokens == null;
  }

  private static Long count(Headers headers, String name) {
    Optional<String> value = headers.first(name);
    if (value.isEmpty()) {
      return null;
    }
    try {
      long parsed = Long.parseLong(value.get());
      return parsed < 0 ? null : parsed; // -1 means "unknown"
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RateLimits that && java.util.Objects.equals(limitRequests, that.limitRequests)
        && java.util.Objects.equals(limitTokens, that.limitTokens)
        && java.util.Objects.equals(remainingRequests, that.remainingRequests)
        && java.util.Objects.equals(remainingTokens, that.remainingTokens)
        && java.util.Objects.equals(resetRequests, that.resetRequests)
        && java.util.Objects.equals(resetTokens, that.resetTokens);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(limitRequests, limitTokens, remainingRequests, remainingTokens, resetRequests,
        resetTokens);
  }

  /** e.g. {@code RateLimits[requests 0/500 reset 1s, tokens 1200/30000 reset 6m0s]}. */
  @Override
  public String toString() {
    return "RateLimits[requests " + part(remainingRequests, limitRequests, resetRequests)
        + ", tokens " + part(remainingTokens, limitTokens, resetTokens) + "]";
  }

  private static String part(Long remaining, Long limit, Duration reset) {
    return (remaining == null ? "?" : remaining) + "/" + (limit == null ? "?" : limit)
        + (reset == null ? "" : " reset " + GoDuration.format(reset));
  }
}
