package dev.backoff4j.openai.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link dev.backoff4j.openai.pacing.Pacer} shares its buckets with the other processes that
 * use the same API key (a fleet of pods, several batch jobs), so that together they stay under the
 * one limit the server counts for all of them ({@code Pacer.Builder.sharedStore}). The
 * implementation is {@code backoff4j-redis}'s {@code RedisFleetPacing}; the pacer keeps its own buckets
 * and falls back to them whenever the store cannot answer.
 *
 * <p>Contract, for implementers:
 *
 * <ul>
 *   <li>Every method returns at once and never throws for a store problem. {@link #reserve}'s future
 *       completes, within a short bounded time (the store's operation timeout), with {@link Reserved}
 *       or {@link Unavailable}, never exceptionally: a store that is down must never fail or stall a
 *       request.
 *   <li>The other calls are fire-and-forget: the pacer does not wait for them.
 *   <li>Futures may complete on the store's I/O threads: the pacer hops to its own executor.
 *   <li>A {@link Scope} carries only a digest of the account (organisation or API key); an
 *       implementation never sees the key.
 * </ul>
 */
public interface SharedPacingStore extends AutoCloseable {

  /**
   * Reserves one request and {@code tokens} tokens for the fleet, queued behind every reservation the
   * fleet made before: charged at once, the answer says how long to wait before sending.
   *
   * @param limits the limits the pacer knows: used to create the shared buckets when they do not
   *     exist yet; existing buckets keep the fleet's (see {@link #publishLimits})
   * @param tokens estimated tokens, ≥ 0
   */
  CompletableFuture<Outcome> reserve(Scope scope, Limits limits, long tokens);

  /**
   * Corrects a reservation's tokens once {@code usage} says what the request really used:
   * {@code delta > 0} charges more, {@code delta < 0} gives back.
   */
  void correctTokens(Scope scope, Limits limits, long delta);

  /** Gives back a reservation whose request was never sent. */
  void cancel(Scope scope, Limits limits, Reserved reservation);

  /**
   * A 429 for a rate limit: empties the named buckets for the whole fleet so that nobody sends for
   * {@code pause}, not only the process that met it.
   */
  void drain(Scope scope, Limits limits, boolean requests, boolean tokens, Duration pause);

  /**
   * Limits learned from the server's headers. Called after every response that carried them; the
   * store writes only changes that matter (a share of the limit), not every wobble.
   */
  void publishLimits(Scope scope, Limits learned);

  /**
   * How many processes share {@code scope} as last seen (this one included), ≥ 1; 1 when never seen.
   * The pacer divides the limit by it while the store is unavailable.
   */
  int liveInstances(Scope scope);

  /** Leaves the fleet (best effort) and releases connections and threads. */
  @Override
  void close();

  /** What {@link #reserve} came to. */
  sealed interface Outcome permits Reserved, Unavailable {}

  /**
   * The fleet took the reservation.
   *
   * @param waitNanos how long to wait before sending, from when the store computed it (slightly
   *     before the answer arrived); 0 to send at once
   * @param tokens the tokens charged (0 when the shared buckets limit requests only)
   * @param receipt the implementation's own record of the reservation, for {@link #cancel}
   */
  record Reserved(long waitNanos, long tokens, Object receipt) implements Outcome {}

  /**
   * The store could not be used (down, timed out, failing over); the pacer paces locally.
   *
   * @param reason one line for a log or an event, without credentials
   */
  record Unavailable(String reason) implements Outcome {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * One pair of limits (requests, tokens) of one account at one API, for one model or limit group.
   * Equal scopes share buckets.
   *
   * @param baseUrl the API's base URL
   * @param accountDigest hex SHA-256 of the organisation or the API key ({@link #of}); never the key
   * @param limitGroup the model or limit group; {@code ""} for requests naming none
   */
  record Scope(String baseUrl, String accountDigest, String limitGroup) {

    public Scope {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(accountDigest, "accountDigest");
      Objects.requireNonNull(limitGroup, "limitGroup");
    }

    /**
     * @param account the organisation when known, else the API key (digested here, not kept); empty
     *     for an API without credentials
     */
    public static Scope of(String baseUrl, String account, String limitGroup) {
      return new Scope(baseUrl, digest(account), limitGroup);
    }

    /** Hex SHA-256 of {@code account}: equal keys give equal digests, the key cannot be read back. */
    public static String digest(String account) {
      try {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(sha256.digest(account.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }

    /** The same account and API, another model. */
    public Scope withLimitGroup(String group) {
      return new Scope(baseUrl, accountDigest, group);
    }

    @Override
    public String toString() {
      return "Scope[" + baseUrl + ", " + limitGroup + ", account " + accountDigest.substring(0, Math.min(8,
          accountDigest.length())) + "]";
    }
  }

  /**
   * A scope's limits: {@code requests} per {@code requestPeriod} and, when {@code tokens > 0},
   * {@code tokens} per {@code tokenPeriod} (refilled continuously, as the server's buckets are).
   */
  record Limits(long requests, Duration requestPeriod, long tokens, Duration tokenPeriod) {

    public Limits {
      if (requests < 1) {
        throw new IllegalArgumentException("requests must be >= 1, was " + requests);
      }
      Objects.requireNonNull(requestPeriod, "requestPeriod");
      if (tokens < 0) {
        throw new IllegalArgumentException("tokens must be >= 0, was " + tokens);
      }
      if (tokens > 0) {
        Objects.requireNonNull(tokenPeriod, "tokenPeriod");
      }
    }

    /** Whether tokens are limited too. */
    public boolean limitsTokens() {
      return tokens > 0;
    }
  }
}
