package dev.backoff4j.bench.scenarios;

import java.time.Duration;

/**
 * Warming a client's code up before it is measured: at least {@code calls} calls and at least
 * {@code atLeast} of time, whichever takes longer. A count as well as a time, because on a loaded
 * machine a few hundred milliseconds may not get a cold JVM through its first call (class loading,
 * the SDK's Kotlin and Jackson start-up).
 */
record WarmUp(int calls, Duration atLeast) {

  private static final Duration CALLS_CUT_OFF = Duration.ofSeconds(60);

  /** Runs the warm-up on {@code caller} with {@code concurrency} workers. */
  void run(ChatCaller caller, int concurrency) {
    long start = System.nanoTime();
    LoadRun.closedLoop(caller, calls, concurrency, CALLS_CUT_OFF);
    Duration left = atLeast.minusNanos(System.nanoTime() - start);
    if (left.compareTo(Duration.ofMillis(1)) > 0) {
      LoadRun.closedLoop(caller, 1_000_000, concurrency, left); // cut off by time long before
    }
  }

  @Override
  public String toString() {
    return String.format("%,d calls and at least %d ms", calls, atLeast.toMillis());
  }
}
