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
   * Wait in line until the budget pays for the retry: the next deposits pay the retries in line in
   * the order they asked (so a flaky service's successes pay for its retries as they come in), and
   * the floor's refill at {@code minRetriesPerSecond} pays them at the latest, at a time known when
   * the retry is decided (the {@code n}-th in line {@code n / minRetriesPerSecond} from then). The
   * retry still waits at least its backoff. A retry whose turn would come after the deadline waits
   * until the deadline — a deposit may pay it sooner — and then gives up with
   * {@code GiveUpReason.DEADLINE_EXCEEDED}, giving its place back; never before. Asynchronous
   * executions wait on the scheduler, holding no thread. The OpenAI preset's choice.
   */
  WAIT
}
