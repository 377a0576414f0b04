package dev.backoff4j.bench.scenarios;

import java.time.Duration;
import java.util.List;

/**
 * Sizes of one suite run, one record per scenario. The mock's rate-limit window is compressed to one
 * second so that S1's ideal time is seconds, not minutes: "200 requests per 1 s window" is a 12,000
 * RPM limit whose bucket also holds only one second's worth of requests.
 *
 * @param mode {@code full} or {@code quick}
 * @param concurrency worker threads of the closed- and open-loop scenarios (S1–S4)
 * @param warmUp how each contender is run against the plain mock before the suite
 * @param childJvm the options of the JVMs S5-jvm and S6 start ({@link ClientProcess})
 */
record Settings(
    String mode,
    int concurrency,
    WarmUp warmUp,
    List<String> childJvm,
    Bulk s1,
    Outage s2,
    LongOutage s2Long,
    Flaky s3,
    Quota s4,
    Fleet s5,
    Burst s6) {

  /**
   * S1 (and the limit S5 shares): {@code requests} in a closed loop against a limit of
   * {@code requestsPerWindow} and {@code tokensPerWindow} per {@code window}.
   */
  record Bulk(int requests, int requestsPerWindow, int tokensPerWindow, Duration window, Duration cutOff) {

    /** Requests-per-second limit (the bucket refills at this rate). */
    double limitPerSecond() {
      return requestsPerWindow / (window.toNanos() / 1e9);
    }
  }

  /** S2: an open loop of {@code ratePerSecond} for {@code length}; the endpoint answers 503 in the outage. */
  record Outage(double ratePerSecond, Duration length, Duration outageStart, Duration outageLength, Duration cutOff) {

    int requests() {
      return (int) Math.round(ratePerSecond * length.toNanos() / 1e9);
    }
  }

  /**
   * S2-long: the endpoint answers 503 for the whole run (longer than any request's deadline); an
   * open loop of {@code ratePerSecond} for {@code length}; every contender gets {@code deadline}.
   */
  record LongOutage(double ratePerSecond, Duration length, Duration deadline, Duration cutOff) {

    int requests() {
      return (int) Math.round(ratePerSecond * length.toNanos() / 1e9);
    }
  }

  /**
   * S3: a closed loop against random faults. {@code deadline} is the service-level deadline at which
   * a failed or cut-off call is counted in the percentiles (no contender is configured with it).
   */
  record Flaky(int requests, String faults, String latency, Duration deadline, Duration cutOff) {}

  /** S4: every request gets 429 {@code insufficient_quota}. */
  record Quota(int requests, Duration cutOff) {}

  /**
   * S5: {@code clients} independent clients, each with {@code requestsPerClient} and
   * {@code concurrencyPerClient} workers, share one key at S1's limit. The process variant starts
   * each client in a JVM of its own, warmed up by {@code childWarmUp}; its Redis variant kills
   * Redis at {@code redisKillAt} and restarts it at {@code redisRestartAt} (fractions of the best
   * possible time).
   */
  record Fleet(int clients, int requestsPerClient, int concurrencyPerClient, Duration cutOff, WarmUp childWarmUp,
      double redisKillAt, double redisRestartAt) {

    int requests() {
      return clients * requestsPerClient;
    }
  }

  /** S6: {@code calls} asynchronous calls started at once, in a JVM of its own warmed up by {@code childWarmUp}. */
  record Burst(int calls, String faults, String latency, Duration cutOff, WarmUp childWarmUp) {}

  /** About 7 minutes for the whole suite on the project's 2-core machines (see the README). */
  static Settings full() {
    int tokens = 200 * Payload.MOCK_TOKENS_PER_REQUEST * 5 / 4;
    return new Settings("full", 64, new WarmUp(500, Duration.ofSeconds(2)), List.of("-Xmx384m"),
        new Bulk(2_000, 200, tokens, Duration.ofSeconds(1), Duration.ofSeconds(60)),
        new Outage(100, Duration.ofSeconds(12), Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(40)),
        new LongOutage(25, Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(30)),
        new Flaky(2_000, "500=0.1,reset=0.02", "20ms..80ms", Duration.ofSeconds(10), Duration.ofSeconds(60)),
        new Quota(64, Duration.ofSeconds(40)),
        new Fleet(4, 500, 16, Duration.ofSeconds(60), new WarmUp(500, Duration.ofSeconds(2)), 1 / 3.0, 2 / 3.0),
        new Burst(10_000, "500=0.1,reset=0.02", "50ms", Duration.ofSeconds(60), new WarmUp(500, Duration.ofSeconds(2))));
  }

  /**
   * A smoke check that everything runs: smaller N, a 0.8 s outage, and cut-offs short enough that the
   * slow contenders (the recipe's and Resilience4j's 1–8 s sleeps) are cut off and reported as such.
   * Starting JVMs dominates its time (S5-jvm starts 4 per contender, S6 one), so those warm up with
   * only 20 calls and S6 bursts 1,000 calls.
   */
  static Settings quick() {
    int tokens = 200 * Payload.MOCK_TOKENS_PER_REQUEST * 5 / 4;
    // C1 only and the serial collector: the child JVMs start faster; fine for a smoke check.
    return new Settings("quick", 64, new WarmUp(200, Duration.ofMillis(300)),
        List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
        new Bulk(400, 200, tokens, Duration.ofSeconds(1), Duration.ofSeconds(4)),
        new Outage(100, Duration.ofSeconds(2), Duration.ofMillis(600), Duration.ofMillis(800), Duration.ofSeconds(3)),
        new LongOutage(25, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(4)),
        new Flaky(200, "500=0.1,reset=0.02", "20ms..80ms", Duration.ofSeconds(10), Duration.ofSeconds(3)),
        new Quota(64, Duration.ofSeconds(2)),
        new Fleet(4, 100, 16, Duration.ofSeconds(4), new WarmUp(20, Duration.ZERO), 1 / 3.0, 2 / 3.0),
        new Burst(1_000, "500=0.1,reset=0.02", "50ms", Duration.ofSeconds(6), new WarmUp(20, Duration.ZERO)));
  }
}
