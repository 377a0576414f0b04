package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.Scenario;

/** S3, flaky: a closed loop against random 500s and connection resets with varying latency. */
final class FlakyScenario implements Scenarios.Bench {

  private final Settings.Flaky settings;
  private final int concurrency;
  private final Scenario mock;

  FlakyScenario(Settings.Flaky settings, int concurrency) {
    this.settings = settings;
    this.concurrency = concurrency;
    this.mock = Scenarios.faulty(settings.faults(), settings.latency());
  }

  @Override
  public String id() {
    return "S3";
  }

  @Override
  public String description() {
    return String.format("flaky: %,d requests, closed loop, concurrency %d; faults %s, latency %s (seed 42). "
            + "Percentiles (p50_ms, p99_ms) are of every call's duration (first attempt to return), a failed or "
            + "cut-off call counted at the %d s deadline or later, never earlier (so dropping a slow call cannot help); "
            + "p99_successes_ms is of the successful calls only. No contender is configured with that deadline",
        settings.requests(), concurrency, settings.faults(), settings.latency(), settings.deadline().toSeconds());
  }

  @Override
  public Row run(Contender contender, MockServer server) {
    int n = settings.requests();
    try (ChatCaller caller = contender.open(server.baseUrl())) {
      Scenarios.install(server, mock);
      LoadRun.Result run = LoadRun.closedLoop(caller, n, concurrency, settings.cutOff());
      MockStats stats = server.stats();
      long[] charged = Metrics.chargedDurations(run.outcomes(), settings.deadline().toNanos(), run.elapsedNanos());
      long[] successes = Metrics.successDurations(run.outcomes());
      Row row = new Row(id(), contender.name())
          .put("success_rate", (double) run.succeeded() / n)
          .put("p50_ms", RunFields.millis(Metrics.quantile(charged, 0.50)))
          .put("p99_ms", RunFields.millis(Metrics.quantile(charged, 0.99)))
          .put("p99_successes_ms", RunFields.millis(Metrics.quantile(successes, 0.99)))
          .put("failed", n - run.succeeded())
          .put("attempts", stats.totalRequests())
          .put("attempts_per_call", (double) stats.totalRequests() / n)
          .put("wall_s", RunFields.wallNanos(run) / 1e9)
          .put("deadline_s", settings.deadline().toNanos() / 1e9)
          .put("cut_off", run.cutOff());
      return RunFields.finish(row, run.outcomes());
    }
  }
}
