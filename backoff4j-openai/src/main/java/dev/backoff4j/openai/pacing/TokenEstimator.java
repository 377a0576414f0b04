package dev.backoff4j.openai.pacing;

import dev.backoff4j.openai.http.Request;
import java.util.Optional;

/**
 * Estimates what a request will cost before it is sent. Must be thread-safe and must not throw on odd
 * bodies: answer empty instead, and the request goes unpaced.
 */
@FunctionalInterface
public interface TokenEstimator {

  /** The estimate, or empty for a request the rate limits do not count (a GET, an unknown body). */
  Optional<TokenEstimate> estimate(Request request);

  /** OpenAI's tokenizers (o200k_base / cl100k_base) through jtokkit; see {@link OpenAiTokenEstimator}. */
  static TokenEstimator openAi() {
    return OpenAiTokenEstimator.INSTANCE;
  }
}
