package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import java.util.ArrayList;
import java.util.List;

/**
 * S5, a fleet in one JVM: independent clients of the same contender (each with its own pacer, gate,
 * budget and connection pool, as separate processes would have) share one key at S1's limit.
 */
final class FleetScenario implements Scenarios.Bench {

  private final Settings.Fleet settings;
  private final Settings.Bulk limit;
  private final Scenario mock;

  FleetScenario(Settings.Fleet settings, Settings.Bulk limit) {
    this.settings = settings;
    this.limit = limit;
    this.mock = BulkScenario.limited(limit);
  }

  @Override
  public String id() {
    return "S5";
  }

  @Override
  public String description() {
    return String.format("fleet in one JVM: %d independent clients (separate pacers, gates and budgets, as %d processes "
            + "would have), each with %,d requests in a closed loop of %d workers, all with the same key; %s; best "
            + "possible as in S1 for the %,d requests. %s",
        settings.clients(), settings.clients(), settings.requestsPerClient(), settings.concurrencyPerClient(),
        BulkScenario.limitText(limit), settings.requests(), BulkFields.fieldsText());
  }

  @Override
  public Row run(Contender contender, MockServer server) {
    List<ChatCaller> callers = new ArrayList<>();
    try {
      List<LoadRun.Lane> lanes = new ArrayList<>();
      for (int i = 0; i < settings.clients(); i++) {
        ChatCaller caller = contender.open(server.baseUrl());
        callers.add(caller);
        lanes.add(new LoadRun.Lane(caller, settings.requestsPerClient(), settings.concurrencyPerClient()));
      }
      Scenarios.install(server, mock);
      LoadRun.Result run = LoadRun.closedLoop(lanes, settings.cutOff());
      Row row = new Row(id(), contender.name()).put("clients", settings.clients());
      BulkFields.put(row, run.outcomes(), server.stats(), limit, RunFields.wallNanos(run));
      return RunFields.finish(row.put("cut_off", run.cutOff()), run.outcomes());
    } finally {
      callers.forEach(ChatCaller::close);
    }
  }
}
