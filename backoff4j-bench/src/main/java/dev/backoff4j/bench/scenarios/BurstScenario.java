package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.Scenario;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * S6, a burst: N asynchronous calls started at once against random faults, from a JVM of its own
 * ({@link ClientProcessMain}) so that its thread and connection counts are the client's alone and its
 * sockets do not share a file-descriptor limit with the mock's.
 */
final class BurstScenario implements Scenarios.Bench {

  /** Generous: on a loaded 2-core machine a cold JVM can take a minute to load the SDK and warm up. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
  private static final Duration RESULT_GRACE = Duration.ofSeconds(30);

  private final Settings.Burst settings;
  private final Scenario mock;
  private final List<String> jvm;

  BurstScenario(Settings.Burst settings, List<String> jvm) {
    this.jvm = jvm;
    this.settings = settings;
    this.mock = Scenarios.faulty(settings.faults(), settings.latency());
  }

  @Override
  public String id() {
    return "S6";
  }

  @Override
  public String description() {
    return String.format("burst: %,d asynchronous calls started at once from one thread (ClientProcessMain in its own "
            + "JVM, %s, warmed up with %s first); faults %s, latency %s (seed 42). attempts_per_call = mock "
            + "requests ÷ N; peak_threads = the most live threads in the client's JVM during the burst (threads_before: "
            + "just before it); peak_connections = the most established connections to the mock's port at once "
            + "(/proc/net/tcp sampled every 20 ms; null where not readable)",
        settings.calls(), String.join(" ", jvm), settings.childWarmUp(), settings.faults(), settings.latency());
  }

  @Override
  public Row run(Contender contender, MockServer server) {
    int n = settings.calls();
    Scenarios.install(server, Scenario.builder().requestLogCapacity(0).build());
    try (ClientProcess child = ClientProcess.start(contender.name(), jvm, List.of(
        "--contender", contender.name(), "--base-url", server.baseUrl(), "--load", "burst",
        "--requests", Integer.toString(n),
        "--cut-off-ms", Long.toString(settings.cutOff().toMillis()),
        "--warm-up-calls", Integer.toString(settings.childWarmUp().calls()),
        "--warm-up-ms", Long.toString(settings.childWarmUp().atLeast().toMillis())))) {
      child.awaitReady(READY_TIMEOUT.plus(settings.childWarmUp().atLeast()));
      Scenarios.install(server, mock);
      ConnectionCounter connections = ConnectionCounter.start(server.port());
      child.go();
      ChildReport report;
      OptionalInt peakConnections;
      try {
        report = child.awaitResult(settings.cutOff().plus(RESULT_GRACE));
      } finally {
        peakConnections = connections.stop();
      }
      MockStats stats = server.stats();
      List<Outcome> outcomes = report.outcomes();
      long succeeded = outcomes.stream().filter(Outcome::ok).count();
      long wall = report.cutOff() ? report.elapsedNanos() : RunFields.lastEnd(outcomes);
      Row row = new Row(id(), contender.name())
          .put("success_rate", (double) succeeded / n)
          .put("attempts_per_call", (double) stats.totalRequests() / n)
          .put("failed", n - succeeded)
          .put("peak_threads", report.peakThreads())
          .put("threads_before", report.threadsBefore())
          .put("peak_connections", peakConnections.isPresent() ? (Object) peakConnections.getAsInt() : null)
          .put("p99_successes_ms", RunFields.millis(Metrics.quantile(Metrics.successDurations(outcomes), 0.99)))
          .put("wall_s", wall / 1e9)
          .put("attempts", stats.totalRequests())
          .put("cut_off", report.cutOff());
      return RunFields.finish(row, outcomes);
    }
  }
}
