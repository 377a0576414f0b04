package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.OutageWindow;
import dev.backoff4j.mock.Scenario;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** S2, an outage shorter than the deadline: an open loop while the endpoint answers 503 for a while. */
final class OutageScenario implements Scenarios.Bench {

  /** Recovery: a request offered after the outage is on time when it succeeded within this of its arrival. */
  static final long ON_TIME = TimeUnit.MILLISECONDS.toNanos(250);
  /** Bin width of S2's chart. */
  static final long CHART_BIN = TimeUnit.MILLISECONDS.toNanos(250);

  private final Settings.Outage settings;
  private final int concurrency;
  private final Scenario mock;

  OutageScenario(Settings.Outage settings, int concurrency) {
    this.settings = settings;
    this.concurrency = concurrency;
    this.mock = Scenario.builder()
        .outage(OutageWindow.of(settings.outageStart(), settings.outageLength()))
        .requestLogCapacity(Scenarios.REQUEST_LOG)
        .build();
  }

  @Override
  public String id() {
    return "S2";
  }

  @Override
  public String description() {
    Duration start = settings.outageStart();
    return String.format("outage shorter than the deadline: open loop, %.0f requests/s for %.1f s (%,d requests) into "
            + "%d workers; every request answers 503 from %.1f s to %.1f s; no rate limit. amplification = attempts the "
            + "mock saw during the outage ÷ requests the client began during it; recovery_s = outage end → arrival of "
            + "the first request from which on every request offered succeeded within %d ms of arriving (null: never "
            + "within the run)",
        settings.ratePerSecond(), settings.length().toMillis() / 1e3, settings.requests(), concurrency,
        start.toMillis() / 1e3, start.plus(settings.outageLength()).toMillis() / 1e3,
        TimeUnit.NANOSECONDS.toMillis(ON_TIME));
  }

  @Override
  public Row run(Contender contender, MockServer server) {
    int n = settings.requests();
    try (ChatCaller caller = contender.open(server.baseUrl())) {
      long installed = Scenarios.install(server, mock);
      LoadRun.Result run = LoadRun.openLoop(caller, n, settings.ratePerSecond(), concurrency, settings.cutOff());
      MockStats stats = server.stats();
      // The mock's outage clock starts at install; shift it onto the run's clock.
      long outageFrom = installed - run.startNanos() + settings.outageStart().toNanos();
      long outageTo = outageFrom + settings.outageLength().toNanos();
      long arrived = run.outcomes().stream()
          .filter(o -> o.arrivalNanos() >= outageFrom && o.arrivalNanos() < outageTo).count();
      long began = run.outcomes().stream()
          .filter(o -> o.startNanos() >= outageFrom && o.startNanos() < outageTo).count();
      long attempts = stats.faults("outage");
      long wall = RunFields.wallNanos(run);
      Row row = new Row(id(), contender.name())
          .put("amplification", Metrics.amplification(attempts, began))
          .put("recovery_s", Metrics.recoverySeconds(run.outcomes(), outageTo, ON_TIME))
          .put("attempts_during_outage", attempts)
          .put("requests_begun_during_outage", began)
          .put("requests_offered_during_outage", arrived)
          .put("amplification_per_offered", Metrics.amplification(attempts, arrived))
          .put("failed", n - run.succeeded())
          .put("attempts", stats.totalRequests())
          .put("cut_off", run.cutOff())
          .throughput(Metrics.throughputSeries(run.outcomes(), CHART_BIN, wall + CHART_BIN));
      return RunFields.finish(row, run.outcomes());
    }
  }

  /** The outage on the run's clock, in seconds, for the chart (the run starts right after the install). */
  double[] outageSeconds() {
    double from = settings.outageStart().toNanos() / 1e9;
    return new double[] {from, from + settings.outageLength().toNanos() / 1e9};
  }

  double offeredPerSecond() {
    return settings.ratePerSecond();
  }
}
