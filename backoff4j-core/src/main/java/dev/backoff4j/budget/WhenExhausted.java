package dev.backoff4j.budget;

/**
 * What a retry does when the {@link RetryBudget} has no retry left for it
 * ({@code RetryPolicyBuilder.onBudgetExhausted}).
 */
public enum WhenExhausted {
  /**
   * Give up at once with {@code GiveUpReason.BUDGET_EXHAUSTED}: fail fast, leaving the load to the
   * caller. The default of a core policy (its behaviour before waiting existed).
   */
  FAIL,
  /**
   * Wait until the budget can pay for the retry: the budget's floor refills at
   * {@code minRetriesPerSecond} and waiting retries take from its refill in the order they asked, so
   * the wait is known when the retry is decided (the {@code n}-th retry in the queue waits
   * {@code n / minRetriesPerSecond}). A retry whose wait would end at or past the deadline gives up
   * with {@code GiveUpReason.DEADLINE_EXCEEDED} and gives its place back. Asynchronous executions wait
   * on the scheduler, holding no thread. The OpenAI preset's choice.
   */
  WAIT
}
