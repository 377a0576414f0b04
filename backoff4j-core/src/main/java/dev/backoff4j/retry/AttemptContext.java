package dev.backoff4j.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * What an attempt may know about the execution it belongs to. Use {@link #attemptTimeout()} to give
 * the underlying call (an HTTP request, say) a timeout that cannot outlive the overall deadline.
 */
public interface AttemptContext {

  /** 1 for the first attempt, 2 for the first retry, and so on. */
  int attempt();

  /** Time since the execution started, including earlier attempts and waits. */
  Duration elapsed();

  /** Time left before the policy's {@code maxElapsed} deadline; empty when there is no deadline. */
  Optional<Duration> timeLeft();

  /**
   * The time this attempt may take: the smaller of the policy's {@code attemptTimeout} and
   * {@link #timeLeft()}; empty when neither is set. Asynchronous executions enforce it themselves;
   * synchronous ones cannot interrupt arbitrary code, so pass it to the call you make.
   */
  Optional<Duration> attemptTimeout();

  /** The failure of the previous attempt, if it threw. */
  Optional<Throwable> previousFailure();

  /** The result of the previous attempt, if it returned one that was retried. */
  Optional<Object> previousResult();
}
