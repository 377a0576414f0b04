package dev.backoff4j.mock.internal;

import dev.backoff4j.mock.RateLimit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-key request and token buckets that refill continuously ({@code limit / window} per
 * nanosecond). Time comes from an injected nano clock so tests need not sleep.
 */
public final class RateLimiter {
  private final RateLimit limit;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Buckets> byKey = new ConcurrentHashMap<>();

  public RateLimiter(RateLimit limit, LongSupplier nanoTime) {
    this.limit = limit;
    this.nanoTime = nanoTime;
  }


  /**
   * Charges one request and {@code tokens} tokens to {@code key}. The request is allowed when both
   * buckets hold enough. A rejected request still uses up one request (floored at zero) but no
   * tokens.
   */
  public Decision charge(String key, long tokens) {
    Buckets buckets = byKey.computeIfAbsent(key, k -> new Buckets(limit, nanoTime.getAsLong()));
    return buckets.charge(Math.max(0, tokens), nanoTime.getAsLong());
  }

  /**
   * The outcome of one charge; all values are after the charge.
   *
   * @param allowed false when the request exceeds a budget
   * @param tokenLimited true when the token budget (rather than only the request budget) was short
   * @param remainingRequests whole requests left
   * @param remainingTokens whole tokens left
   * @param resetRequestsNanos time until the request budget is full
   * @param resetTokensNanos time until the token budget is full
   * @param retryAfterNanos when not allowed, time until this request would fit; 0 otherwise
   */
  public record Decision(
      boolean allowed,
      boolean tokenLimited,
      long limitRequests,
      long limitTokens,
      long remainingRequests,
      long remainingTokens,
      long resetRequestsNanos,
      long resetTokensNanos,
      long retryAfterNanos) {}

  private static final class Buckets {
    private final long requestLimit;
    private final long tokenLimit;
    private final double requestsPerNano;
    private final double tokensPerNano;
    private double requests;
    private double tokens;
    private long lastNanos;

    Buckets(RateLimit limit, long now) {
      this.requestLimit = limit.requests();
      this.tokenLimit = limit.tokens();
      double windowNanos = limit.window().toNanos();
      this.requestsPerNano = requestLimit / windowNanos;
      this.tokensPerNano = tokenLimit / windowNanos;
      this.requests = requestLimit;
      this.tokens = tokenLimit;
      this.lastNanos = now;
    }

    synchronized Decision charge(long cost, long now) {
      long elapsed = Math.max(0, now - lastNanos);
      lastNanos = Math.max(lastNanos, now);
      requests = Math.min(requestLimit, requests + elapsed * requestsPerNano);
      tokens = Math.min(tokenLimit, tokens + elapsed * tokensPerNano);

      boolean requestsOk = requests >= 1;
      boolean tokensOk = tokens >= cost;
      boolean allowed = requestsOk && tokensOk;
      // Rejected requests still use up a request (as OpenAI counts them), but no tokens, since
      // nothing was generated; a budget never goes negative.
      requests = Math.max(0, requests - 1);
      if (allowed) {
        tokens -= cost;
      }
      long retryAfter = 0;
      if (!allowed) {
        double waitRequests = Math.max(0, (1 - requests) / requestsPerNano);
        // A request larger than the whole budget never fits; advise a full window.
        double waitTokens =
            tokensOk ? 0 : cost > tokenLimit ? tokenLimit / tokensPerNano : (cost - tokens) / tokensPerNano;
        retryAfter = (long) Math.ceil(Math.max(waitRequests, waitTokens));
      }
      return new Decision(
          allowed,
          !tokensOk,
          requestLimit,
          tokenLimit,
          (long) Math.floor(requests),
          (long) Math.floor(tokens),
          (long) Math.ceil((requestLimit - requests) / requestsPerNano),
          (long) Math.ceil((tokenLimit - tokens) / tokensPerNano),
          retryAfter);
    }
  }
}
