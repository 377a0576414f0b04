package dev.backoff4j.bench.scenarios;

/**
 * One logical request as the client saw it. Times are nanoseconds since the run started.
 *
 * @param arrivalNanos when the request was offered (open-loop runs); equal to {@code startNanos} in
 *     closed-loop runs
 * @param startNanos when a worker began the call (its first attempt)
 * @param endNanos when the call returned or threw; -1 if it never finished (cut off)
 * @param ok the call returned normally
 * @param error the simple name of what it threw, or {@code null}
 * @param message the first line of its message (failures only), or {@code null}
 */
record Outcome(long arrivalNanos, long startNanos, long endNanos, boolean ok, String error, String message) {

  boolean finished() {
    return endNanos >= 0;
  }

  long durationNanos() {
    return endNanos - startNanos;
  }
}
