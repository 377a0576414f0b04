package dev.backoff4j.bench.scenarios;

import dev.backoff4j.openai.pacing.Pacer;
import java.util.Optional;

/**
 * The seam for fleet-shared pacing (issue 14): how the benchmark builds a {@link Pacer} whose limit
 * is shared through Redis. S5's process variant calls {@link #pacer} in each member process (see
 * {@link ClientProcessMain}, flag {@code --redis}); nothing else in the harness knows how the fleet
 * store is configured.
 *
 * <p>This build of backoff4j has no public way to back a pacer with Redis yet ({@code backoff4j-redis}
 * holds only the internal engine), so {@link #unavailable()} names why and the Redis rows are reported
 * as not run. When the store lands: add {@code backoff4j-redis} to this module's pom, build the
 * pacer here, make {@link #unavailable()} empty, and update {@link #DESCRIPTION}.
 */
final class SharedPacing {

  /** How the shared pacer is configured, for the contender's description. */
  static final String DESCRIPTION = "not available in this build";

  private static final String WHY =
      "backoff4j has no Redis-shared Pacer yet (issue 14; the seam is SharedPacing.pacer in backoff4j-bench)";

  private SharedPacing() {}

  /** Why a Redis-shared pacer cannot be built here; empty when it can. */
  static Optional<String> unavailable() {
    return Optional.of(WHY);
  }

  /**
   * An unseeded pacer that shares its limit with every other pacer on {@code redisUrl} for the same
   * base URL and key.
   *
   * @throws UnsupportedOperationException while {@link #unavailable()} is not empty
   */
  static Pacer pacer(String redisUrl) {
    throw new UnsupportedOperationException(WHY + "; asked for " + redisUrl);
  }
}
