package dev.backoff4j.openai.pacing;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link Pacer} has done and what it believes now, for progress lines and metrics.
 *
 * @param reservations requests (attempts) admitted
 * @param paced how many of them had to wait
 * @param totalWait the sum of those waits (a pause stretching a wait counts too)
 * @param longestWait the longest single wait
 * @param pauses 429 rate-limit responses that paused a scope
 * @param scopes one entry per rate-limit scope (model) seen
 */
public record PacerStats(long reservations, long paced, Duration totalWait, Duration longestWait, long pauses,
    List<Scope> scopes) {

  public PacerStats {
    scopes = List.copyOf(scopes);
  }

  /**
   * One rate-limit scope.
   *
   * @param model the model, {@code ""} for requests naming none
   * @param requests the request bucket
   * @param tokens the token bucket
   * @param pausedFor time left in a pause after a 429; zero when none
   * @param assumedCompletionTokens completion tokens per choice assumed for requests that set no maximum
   */
  public record Scope(String model, Limit requests, Limit tokens, Duration pausedFor, long assumedCompletionTokens) {}

  /**
   * The client's view of one of the server's buckets.
   *
   * @param known whether a seed or a header told the limit; an unknown bucket never holds anyone back
   * @param fromHeaders whether the server's headers (rather than only a seed) taught it
   * @param capacity the most the bucket holds (the server's {@code x-ratelimit-limit-*})
   * @param perMinute the refill rate, per minute
   * @param available what is left now, after everything reserved; negative while requests queue
   */
  public record Limit(boolean known, boolean fromHeaders, long capacity, double perMinute, double available) {}
}
