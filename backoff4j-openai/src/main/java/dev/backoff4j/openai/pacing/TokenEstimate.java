package dev.backoff4j.openai.pacing;

import java.util.Objects;

/**
 * What a request will cost before it is sent, as OpenAI charges it against the token limit: the
 * prompt, plus the completion allowance for each choice.
 *
 * @param model the model named by the request ({@code ""} if none): the rate-limit scope
 * @param promptTokens tokens in the input (messages, embedding input), ≥ 0
 * @param maxCompletionTokens {@code max_completion_tokens} or {@code max_tokens}; -1 when the request
 *     sets neither (the pacer then assumes a size learned from {@code usage}); 0 for embeddings
 * @param choices {@code n}, ≥ 1
 */
public record TokenEstimate(String model, long promptTokens, long maxCompletionTokens, int choices) {

  public TokenEstimate {
    Objects.requireNonNull(model, "model");
    if (promptTokens < 0) {
      throw new IllegalArgumentException("promptTokens must be >= 0, was " + promptTokens);
    }
    if (choices < 1) {
      throw new IllegalArgumentException("choices must be >= 1, was " + choices);
    }
  }

  /** Whether the request sets its own completion limit. */
  public boolean hasMaxCompletion() {
    return maxCompletionTokens >= 0;
  }

  /** The charge, with {@code assumedCompletion} per choice when the request sets no maximum. */
  public long total(long assumedCompletion) {
    long perChoice = hasMaxCompletion() ? maxCompletionTokens : Math.max(0, assumedCompletion);
    return promptTokens + perChoice * choices;
  }
}
