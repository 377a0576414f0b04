package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.OutageWindow;
import dev.backoff4j.mock.Scenario;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * S2-long, an outage longer than the deadline: the endpoint answers 503 for the whole run, every
 * contender gets the same short deadline, and every request should fail at it — not before (giving
 * up on a request that still had time) and not much after (the deadline not kept).
 */
final class LongOutageScenario implements Scenarios.Bench {

  /** A request "fails at its deadline" when it ends this long after it at most. */
  static final long TOLERANCE = TimeUnit.MILLISECONDS.toNanos(100);

  private final Settings.LongOutage settings;
  private final int concurrency;
  private final Scenario mock;

  LongOutageScenario(Settings.LongOutage settings, int concurrency) {
    this.settings = settings;
    this.concurrency = concurrency;
    // Down from the install to well after the cut-off: no request can meet a working endpoint.
    this.mock = Scenario.builder()
        .outage(OutageWindow.of(Duration.ZERO, settings.cutOff().plusSeconds(60)))
        .requestLogCapacity(Scenarios.REQUEST_LOG)
        .build();
  }

  @Override
  public String id() {
    return "S2-long";
  }

  @Override
  public String description() {
    return String.format("outage longer than the deadline: every request answers 503 for the whole run; open loop, "
            + "%.0f requests/s for %.1f s (%,d requests) into %d workers; every contender gets a deadline of %d ms per "
            + "call (see each contender's deadline). A request fails at its deadline when it failed %d–%d ms after it "
            + "began (failed_at_deadline); earlier is failed_early, later (or cut off) failed_late; over_deadline = "
            + "duration − deadline; amplification = attempts ÷ requests begun",
        settings.ratePerSecond(), settings.length().toMillis() / 1e3, settings.requests(), concurrency,
        settings.deadline().toMillis(), settings.deadline().toMillis(),
        settings.deadline().toMillis() + TimeUnit.NANOSECONDS.toMillis(TOLERANCE));
  }

  @Override
  public Row run(Contender contender, MockServer server) {
    int n = settings.requests();
    try (ChatCaller caller = contender.open(server.baseUrl(), Optional.of(settings.deadline()))) {
      Scenarios.install(server, mock);
      LoadRun.Result run = LoadRun.openLoop(caller, n, settings.ratePerSecond(), concurrency, settings.cutOff());
      MockStats stats = server.stats();
      long began = run.outcomes().stream().filter(o -> o.startNanos() >= 0).count();
      Metrics.DeadlineEnds ends = Metrics.DeadlineEnds.of(run.outcomes(), settings.deadline().toNanos(), TOLERANCE);
      Row row = new Row(id(), contender.name())
          .put("requests", n)
          .put("deadline_s", settings.deadline().toNanos() / 1e9)
          .put("failed", n - run.succeeded())
          .put("failed_at_deadline", ends.atDeadline())
          .put("failed_early", ends.early())
          .put("failed_late", ends.late())
          .put("succeeded", ends.succeeded())
          .put("min_over_deadline_ms", millis(ends.minOverNanos()))
          .put("max_over_deadline_ms", millis(ends.maxOverNanos()))
          .put("amplification", Metrics.amplification(stats.faults("outage"), began))
          .put("attempts", stats.totalRequests())
          .put("requests_begun", began)
          .put("cut_off", run.cutOff());
      return RunFields.finish(row, run.outcomes());
    }
  }

  private static OptionalDouble millis(OptionalLong nanos) {
    return nanos.isPresent() ? OptionalDouble.of(nanos.getAsLong() / 1e6) : OptionalDouble.empty();
  }
}
