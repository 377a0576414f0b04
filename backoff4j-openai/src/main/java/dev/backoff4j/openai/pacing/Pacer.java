package dev.backoff4j.openai.pacing;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.pacing.internal.DefaultPacer;
import dev.backoff4j.openai.spi.SharedPacingStore;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps a client under the server's rate limits instead of provoking 429s: every attempt reserves one
 * request and its estimated tokens before it is sent, and waits until the server's buckets (as the
 * pacer understands them) can take it. Shared by all threads of a client, or of several clients using
 * the same API key.
 *
 * <pre>{@code
 * Pacer pacer = Pacer.builder().requestsPerMinute(500).tokensPerMinute(200_000).build(); // seeds, optional
 * OpenAiClient client = OpenAiClient.builder().pacer(pacer).build();
 * ...
 * PacerStats stats = pacer.stats();   // waits, paced count, the limits learned
 * }</pre>
 *
 * <p>Made only by {@link #builder()}: the pipeline drives the pacer it builds. Not for implementing.
 *
 * <p>How it learns, per rate-limit scope (OpenAI limits each model separately, so each model named in
 * a request gets its own pair of buckets):
 *
 * <ul>
 *   <li>Seeds ({@link Builder#requestsPerMinute}, {@link Builder#tokensPerMinute}) give the limits
 *       before any response; without them a bucket is unknown and holds nobody back.
 *   <li>Every response, success or error, carrying {@code x-ratelimit-*} headers teaches the limit
 *       ({@code limit}), the refill rate ({@code (limit - remaining) / reset}, so windows other than a
 *       minute are learned too) and the capacity left ({@code remaining}, minus whatever was reserved
 *       after that request). Headers replace seeds.
 *   <li>A 429 for a rate limit pauses the whole scope until its hint expires ({@link
 *       Builder#pauseWithoutHint} when it has none), not only the request that got it.
 *   <li>{@code usage} calibrates the prompt estimate (the server's count over the tokenizer's, a
 *       running average), teaches the completion size to assume for requests that set no maximum,
 *       and, when the server sends no token headers, corrects the ledger by what was really used.
 * </ul>
 *
 * <p>Reservations are taken in arrival order, each waiting for the refill behind the ones before it,
 * so concurrent callers queue fairly instead of all rushing in when capacity returns. A request
 * larger than the whole token limit waits for a full bucket and is then sent (the server decides).
 * Thread-safe.
 */
public interface Pacer {

  /** Starts settings; see {@link Builder} for the defaults. */
  static Builder builder() {
    return new Builder();
  }

  /** What the pacer has done and what it believes now: waits, paced count, the limits learned. */
  PacerStats stats();

  /**
   * Settings; each setter checks its range and names itself when it refuses a value. Defaults: no seeds (limits learned from headers),
   * 256 completion tokens assumed per choice until {@code usage} teaches better, a 1 s pause after a
   * 429 without a hint, 100 ms jitter allowance, the system clock, {@link TokenEstimator#openAi()}, no
   * shared store (this process paces alone).
   */
  final class Builder {
    private static final String COMPONENT = "pacer";

    private double requestsPerMinute = Double.NaN;
    private double tokensPerMinute = Double.NaN;
    private long assumedCompletionTokens = 256;
    private Duration pauseWithoutHint = Duration.ofSeconds(1);
    private Duration jitterAllowance = Duration.ofMillis(100);
    private TimeSource time = TimeSource.system();
    private TokenEstimator estimator = TokenEstimator.openAi();
    private final List<PacerListener> listeners = new ArrayList<>();
    private SharedPacingStore sharedStore;

    Builder() {}

    /** The request limit to assume before the headers tell it (a CLI's {@code --rpm}), > 0. */
    public Builder requestsPerMinute(double requestsPerMinute) {
      checkSeed("requestsPerMinute", requestsPerMinute);
      this.requestsPerMinute = requestsPerMinute;
      return this;
    }

    /** The token limit to assume before the headers tell it (a CLI's {@code --tpm}), > 0. */
    public Builder tokensPerMinute(double tokensPerMinute) {
      checkSeed("tokensPerMinute", tokensPerMinute);
      this.tokensPerMinute = tokensPerMinute;
      return this;
    }

    /**
     * Completion tokens per choice to charge for a request that sets neither {@code max_tokens} nor
     * {@code max_completion_tokens}, until {@code usage} has taught the real average; ≥ 0.
     */
    public Builder assumedCompletionTokens(long assumedCompletionTokens) {
      InvalidSettingException.check(assumedCompletionTokens >= 0, COMPONENT, "assumedCompletionTokens", "must be >= 0",
          assumedCompletionTokens);
      this.assumedCompletionTokens = assumedCompletionTokens;
      return this;
    }

    /** How long a 429 without a hint pauses its scope, ≥ 0. */
    public Builder pauseWithoutHint(Duration pauseWithoutHint) {
      InvalidSettingException.check(pauseWithoutHint != null && !pauseWithoutHint.isNegative(), COMPONENT,
          "pauseWithoutHint", "must be >= 0", pauseWithoutHint);
      this.pauseWithoutHint = pauseWithoutHint;
      return this;
    }

    /**
     * Refill time kept in hand so that requests arriving a little early or late do not meet an empty
     * server bucket; ≥ 0, default 100 ms, never more than 5 % of a bucket. It costs no throughput
     * once the first burst is spent; 0 paces to the exact edge (tests).
     */
    public Builder jitterAllowance(Duration jitterAllowance) {
      InvalidSettingException.check(jitterAllowance != null && !jitterAllowance.isNegative(), COMPONENT,
          "jitterAllowance", "must be >= 0", jitterAllowance);
      this.jitterAllowance = jitterAllowance;
      return this;
    }

    /** The clock ({@link dev.backoff4j.testkit.VirtualTime} in tests). */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "timeSource");
      return this;
    }

    /** How requests are priced; {@link TokenEstimator#openAi()} by default. */
    public Builder estimator(TokenEstimator estimator) {
      this.estimator = Objects.requireNonNull(estimator, "estimator");
      return this;
    }

    /**
     * Shares the limits with every other process using the same API key through {@code store}
     * ({@code backoff4j-redis}'s {@code RedisFleetPacing}): once a scope's limits are known (a seed
     * or a header), each reservation is queued with the whole fleet's, a 429 pauses the whole fleet,
     * and {@code usage} corrects the shared token count. While the store cannot answer, the pacer
     * paces alone on its share of the limit (the limit divided by the processes last seen live)
     * and tells its listeners ({@link PacerListener#onSharedStoreDown}); it rejoins by itself. A
     * store outage never fails a request. The store is not closed by the pacer. {@code null} for
     * none (the default).
     */
    public Builder sharedStore(SharedPacingStore store) {
      this.sharedStore = store;
      return this;
    }

    public Builder addListener(PacerListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public Pacer build() {
      return new DefaultPacer(new DefaultPacer.Settings(requestsPerMinute, tokensPerMinute, assumedCompletionTokens,
          pauseWithoutHint, jitterAllowance, time, estimator, listeners, sharedStore));
    }

    private static void checkSeed(String setting, double value) {
      InvalidSettingException.check(value > 0 && !Double.isInfinite(value), COMPONENT, setting,
          "must be a positive number", value);
    }
  }
}
