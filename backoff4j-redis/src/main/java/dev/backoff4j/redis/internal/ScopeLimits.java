package dev.backoff4j.redis.internal;

import java.util.Objects;
import java.util.Optional;

/**
 * The two limits of one scope: requests, and tokens when the scope has a token limit (some
 * endpoints limit requests only). A reservation charges one request and its tokens.
 */
public final class ScopeLimits {

  /**
   * Changes smaller than this share of the current limit are not written to Redis: learned limits
   * wobble (a rate estimated from {@code reset} headers is rounded to seconds), and every write
   * would be felt by the whole fleet for nothing.
   */
  public static final double MATERIAL_CHANGE = 0.10;

  /**
   * A refill rate that moves by more than this share is written although the change is small: the
   * pacer shares only settled rates (learned from large deficits, accurate to well under this), and a
   * fleet refilling even a few per cent faster than the server drifts into its empty bucket (a few
   * per cent slower wastes as much), with no server headers to correct the shared level.
   */
  public static final double RATE_CHANGE = 0.02;

  private final BucketLimit requests;
  private final BucketLimit tokens;

  private ScopeLimits(BucketLimit requests, BucketLimit tokens) {
    this.requests = Objects.requireNonNull(requests, "requests");
    this.tokens = tokens;
  }

  /** Requests and tokens limited. */
  public static ScopeLimits of(BucketLimit requests, BucketLimit tokens) {
    return new ScopeLimits(requests, Objects.requireNonNull(tokens, "tokens"));
  }

  /** Requests limited; tokens are not charged. */
  public static ScopeLimits requestsOnly(BucketLimit requests) {
    return new ScopeLimits(requests, null);
  }

  public BucketLimit requests() {
    return requests;
  }

  public Optional<BucketLimit> tokens() {
    return Optional.ofNullable(tokens);
  }

  /** The limit of one bucket; empty for {@link BucketKind#TOKENS} when tokens are not limited. */
  public Optional<BucketLimit> limit(BucketKind kind) {
    return kind == BucketKind.REQUESTS ? Optional.of(requests) : tokens();
  }

  /**
   * True when {@code other} should replace this in Redis: a token limit appeared or went away, or
   * either limit moved by more than {@link #MATERIAL_CHANGE}.
   */
  public boolean differsMaterially(ScopeLimits other) {
    if (requests.differsMaterially(other.requests, MATERIAL_CHANGE)) {
      return true;
    }
    if ((tokens == null) != (other.tokens == null)) {
      return true;
    }
    return tokens != null && tokens.differsMaterially(other.tokens, MATERIAL_CHANGE);
  }

  /**
   * True when {@code learned} should replace this in Redis: it {@link #differsMaterially differs
   * materially}, or it moves either bucket's rate by more than {@link #RATE_CHANGE}.
   */
  public boolean shouldBeReplacedBy(ScopeLimits learned) {
    if (differsMaterially(learned)) {
      return true;
    }
    if (requests.movesRate(learned.requests, RATE_CHANGE)) {
      return true;
    }
    return tokens != null && tokens.movesRate(learned.tokens, RATE_CHANGE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScopeLimits other && requests.equals(other.requests) && Objects.equals(tokens, other.tokens);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requests, tokens);
  }

  @Override
  public String toString() {
    return "requests " + requests + (tokens == null ? "" : ", tokens " + tokens);
  }
}
