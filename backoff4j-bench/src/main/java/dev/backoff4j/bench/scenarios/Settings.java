package dev.backoff4j.bench.scenarios;

import java.time.Duration;

/**
 * Sizes of one suite run. The mock's rate-limit window is compressed to one second so that S1's
 * ideal time is seconds, not minutes: "200 requests per 1 s window" is a 12,000 RPM limit whose
 * bucket also holds only one second's worth of requests.
 */
record Settings(
    String mode,
    int concurrency,
    Duration warmUpPerContender,
    // S1
    int s1Requests,
    int s1RequestsPerWindow,
    int s1TokensPerWindow,
    Duration s1Window,
    Duration s1CutOff,
    // S2
    double s2RatePerSecond,
    Duration s2Length,
    Duration s2OutageStart,
    Duration s2OutageLength,
    Duration s2CutOff,
    // S3
    int s3Requests,
    String s3Faults,
    String s3Latency,
    Duration s3CutOff,
    // S4
    int s4Requests,
    Duration s4CutOff) {

  /** Requests-per-second limit of S1 (the bucket refills at this rate). */
  double s1LimitPerSecond() {
    return s1RequestsPerWindow / (s1Window.toNanos() / 1e9);
  }

  int s2Requests() {
    return (int) Math.round(s2RatePerSecond * s2Length.toNanos() / 1e9);
  }

  static Settings full() {
    return new Settings("full", 64, Duration.ofSeconds(2),
        2_000, 200, 200 * Payload.MOCK_TOKENS_PER_REQUEST * 5 / 4, Duration.ofSeconds(1), Duration.ofSeconds(60),
        100, Duration.ofSeconds(12), Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(40),
        2_000, "500=0.1,reset=0.02", "20ms..80ms", Duration.ofSeconds(60),
        64, Duration.ofSeconds(40));
  }

  /**
   * A smoke check that everything runs: smaller N, a 0.8 s outage, and cut-offs short enough that the
   * slow contenders (the recipe's and Resilience4j's 1–8 s sleeps) are cut off and reported as such.
   */
  static Settings quick() {
    return new Settings("quick", 64, Duration.ofMillis(300),
        400, 200, 200 * Payload.MOCK_TOKENS_PER_REQUEST * 5 / 4, Duration.ofSeconds(1), Duration.ofSeconds(5),
        100, Duration.ofSeconds(2), Duration.ofMillis(600), Duration.ofMillis(800), Duration.ofSeconds(3),
        200, "500=0.1,reset=0.02", "20ms..80ms", Duration.ofSeconds(3),
        64, Duration.ofSeconds(3));
  }
}
