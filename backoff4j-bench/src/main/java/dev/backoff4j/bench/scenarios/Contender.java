package dev.backoff4j.bench.scenarios;

import java.time.Duration;
import java.util.Optional;

/** A way of calling the API that the scenarios compare. */
interface Contender {

  /** The name in the results ({@code recipe}, {@code openai-java}, ...). */
  String name();

  /** How it is configured, one line for the report. */
  String description();

  /** How a per-call deadline is given to it (S2-long), one line for the report. */
  String deadlineDescription();

  /** A fresh client against {@code baseUrl} (fresh retry budget, pacer, gate and connection pool). */
  default ChatCaller open(String baseUrl) {
    return open(baseUrl, Optional.empty());
  }

  /**
   * A fresh client whose every call ends by {@code deadline} after it began, the contender's own
   * way if it has one, else the harness's ({@link HarnessDeadline}).
   */
  ChatCaller open(String baseUrl, Optional<Duration> deadline);
}
