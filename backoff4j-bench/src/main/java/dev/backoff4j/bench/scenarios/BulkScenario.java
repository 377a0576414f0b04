package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;

/** S1, bulk at the limit: one client, a closed loop of N requests against a request limit. */
final class BulkScenario implements Scenarios.Bench {

  private final Settings.Bulk settings;
  private final int concurrency;
  private final Scenario mock;

  BulkScenario(Settings.Bulk settings, int concurrency) {
    this.settings = settings;
    this.concurrency = concurrency;
    this.mock = limited(settings);
  }

  /** The mock of S1 and S5: the bulk limit, request log on. */
  static Scenario limited(Settings.Bulk settings) {
    return Scenario.builder()
        .rateLimit(settings.requestsPerWindow(), settings.tokensPerWindow())
        .window(settings.window())
        .requestLogCapacity(Scenarios.REQUEST_LOG)
        .build();
  }

  /** The mock's limit in words, for S1's and S5's descriptions. */
  static String limitText(Settings.Bulk settings) {
    return String.format("mock limit %d requests and %,d tokens per %d ms window (each request costs %d tokens: RPM "
            + "binds, TPM has 25 %% headroom)", settings.requestsPerWindow(), settings.tokensPerWindow(),
        settings.window().toMillis(), Payload.MOCK_TOKENS_PER_REQUEST);
  }

  @Override
  public String id() {
    return "S1";
  }

  @Override
  public String description() {
    int n = settings.requests();
    return String.format("bulk at the limit: %,d requests, closed loop, concurrency %d; %s; ideal = N ÷ limit = %.1f s. %s",
        n, concurrency, limitText(settings), n / settings.limitPerSecond(), BulkFields.fieldsText());
  }

  @Override
  public Row run(Contender contender, MockServer server) {
    try (ChatCaller caller = contender.open(server.baseUrl())) {
      Scenarios.install(server, mock);
      LoadRun.Result run = LoadRun.closedLoop(caller, settings.requests(), concurrency, settings.cutOff());
      Row row = BulkFields.put(new Row(id(), contender.name()), run.outcomes(), server.stats(), settings,
          RunFields.wallNanos(run));
      return RunFields.finish(row.put("cut_off", run.cutOff()), run.outcomes());
    }
  }
}
