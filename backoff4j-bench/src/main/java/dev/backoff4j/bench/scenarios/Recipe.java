package dev.backoff4j.bench.scenarios;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The naive recipe, ported faithfully: catch every error, sleep {@code initialDelay × 2^attempt},
 * give up after {@code maxAttempts} attempts by rethrowing the last error. No jitter, no hints, no
 * classification.
 */
final class Recipe {

  private final Duration initialDelay;
  private final int maxAttempts;

  Recipe(Duration initialDelay, int maxAttempts) {
    this.initialDelay = initialDelay;
    this.maxAttempts = maxAttempts;
  }

  <T> T call(Callable<T> call) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.call();
      } catch (Exception e) {
        if (attempt + 1 >= maxAttempts) {
          throw e;
        }
        Thread.sleep(initialDelay.toMillis() << attempt);
      }
    }
  }
}
