package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.Scenario;

/** S4, quota: every request gets 429 {@code insufficient_quota}, which no retry can fix. */
final class QuotaScenario implements Scenarios.Bench {

  private final Settings.Quota settings;
  private final int concurrency;
  private final Scenario mock;

  QuotaScenario(Settings.Quota settings, int concurrency) {
    this.settings = settings;
    this.concurrency = Math.min(settings.requests(), concurrency);
    this.mock = Scenario.builder().faultRates("quota=1").requestLogCapacity(0).build();
  }

  @Override
  public String id() {
    return "S4";
  }

  @Override
  public String description() {
    return String.format("quota: every request gets 429 insufficient_quota; %d requests, one per worker (concurrency "
        + "%d); attempts = mock requests ÷ N; time_to_error = median call duration", settings.requests(), concurrency);
  }

  @Override
  public Row run(Contender contender, MockServer server) {
    int n = settings.requests();
    try (ChatCaller caller = contender.open(server.baseUrl())) {
      Scenarios.install(server, mock);
      LoadRun.Result run = LoadRun.closedLoop(caller, n, concurrency, settings.cutOff());
      MockStats stats = server.stats();
      long[] durations = run.outcomes().stream().filter(Outcome::finished).mapToLong(Outcome::durationNanos).toArray();
      Row row = new Row(id(), contender.name())
          .put("attempts", (double) stats.totalRequests() / n)
          .put("time_to_error_ms", RunFields.millis(Metrics.quantile(durations, 0.5)))
          .put("max_time_to_error_ms", RunFields.millis(Metrics.quantile(durations, 1.0)))
          .put("succeeded", run.succeeded())
          .put("cut_off", run.cutOff());
      return RunFields.finish(row, run.outcomes());
    }
  }
}
