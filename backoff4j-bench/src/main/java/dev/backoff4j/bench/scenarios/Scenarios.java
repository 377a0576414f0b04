package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.OutageWindow;
import dev.backoff4j.mock.Scenario;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/** S1–S4: what the mock does, how the load is offered, and which numbers come out. */
final class Scenarios {

  /** Bin width of S1's throughput series (the chart). */
  static final long CHART_BIN = TimeUnit.MILLISECONDS.toNanos(500);
  /** S2 recovery: the client completes 90 % of the offered rate within a 500 ms window. */
  static final long RECOVERY_WINDOW = TimeUnit.MILLISECONDS.toNanos(500);
  static final long RECOVERY_STEP = TimeUnit.MILLISECONDS.toNanos(10);
  static final double RECOVERY_FRACTION = 0.9;

  private static final int REQUEST_LOG = 200_000;

  private final Settings settings;

  Scenarios(Settings settings) {
    this.settings = settings;
  }

  /** One scenario of the suite. */
  interface Bench {
    String id();

    /** What it does, for the report. */
    String description();

    Row run(Contender contender, MockServer server);
  }

  List<Bench> all() {
    return List.of(bulkAtTheLimit(), outage(), flaky(), quota());
  }

  Bench bulkAtTheLimit() {
    Scenario mock = Scenario.builder()
        .rateLimit(settings.s1RequestsPerWindow(), settings.s1TokensPerWindow())
        .window(settings.s1Window())
        .requestLogCapacity(REQUEST_LOG)
        .build();
    int n = settings.s1Requests();
    double limit = settings.s1LimitPerSecond();
    // The bucket starts full, so the first window's worth goes at once: N ÷ limit overstates the minimum.
    double bestPossible = (n - settings.s1RequestsPerWindow()) / limit;
    return bench("S1", String.format(
        "bulk at the limit: %,d requests, closed loop, concurrency %d; mock limit %d requests and %,d tokens per %d ms "
            + "window (each request costs %d tokens: RPM binds, TPM has 25 %% headroom); ideal = N ÷ limit = %.1f s",
        n, settings.concurrency(), settings.s1RequestsPerWindow(), settings.s1TokensPerWindow(),
        settings.s1Window().toMillis(), Payload.MOCK_TOKENS_PER_REQUEST, n / limit),
        (contender, server) -> {
          try (ChatCaller caller = contender.open(server.baseUrl())) {
            install(server, mock);
            long installedMillis = System.currentTimeMillis();
            LoadRun.Result run = LoadRun.closedLoop(caller, n, settings.concurrency(), settings.s1CutOff());
            MockStats stats = server.stats();
            long limitedEarly = stats.requests().stream()
                .filter(r -> r.status() == 429 && r.epochMillis() - installedMillis < 1_000).count();
            long wall = run.cutOff() ? run.elapsedNanos() : lastEnd(run);
            long succeeded = run.succeeded();
            return new Row("S1", contender.name())
                .put("completion_ratio", Metrics.completionRatio(wall, n, limit))
                .put("rate_limited_per_request", (double) stats.count(429) / n)
                .put("failed", n - succeeded)
                .put("rate_limited", stats.count(429))
                .put("rate_limited_first_second", limitedEarly)
                .put("wall_s", wall / 1e9)
                .put("ideal_s", n / limit)
                .put("best_possible_s", bestPossible)
                .put("ratio_to_best_possible", wall / 1e9 / bestPossible)
                .put("attempts", stats.totalRequests())
                .put("cut_off", run.cutOff())
                .put("errors", errors(run))
                .put("error_sample", errorSample(run))
                .throughput(Metrics.throughputSeries(run.outcomes(), CHART_BIN, wall + CHART_BIN));
          }
        });
  }

  Bench outage() {
    Duration start = settings.s2OutageStart();
    Duration length = settings.s2OutageLength();
    Scenario mock = Scenario.builder()
        .outage(OutageWindow.of(start, length))
        .requestLogCapacity(REQUEST_LOG)
        .build();
    double rate = settings.s2RatePerSecond();
    int n = settings.s2Requests();
    return bench("S2", String.format(
        "outage: open loop, %.0f requests/s for %.1f s (%,d requests) into %d workers; every request answers 503 "
            + "from %.1f s to %.1f s; no rate limit. amplification = attempts the mock saw during the outage ÷ "
            + "requests the client began during it; recovery = outage end → first 500 ms window with successes "
            + "≥ 90 %% of the offered rate",
        rate, settings.s2Length().toMillis() / 1e3, n, settings.concurrency(),
        start.toMillis() / 1e3, start.plus(length).toMillis() / 1e3),
        (contender, server) -> {
          try (ChatCaller caller = contender.open(server.baseUrl())) {
            long installed = install(server, mock);
            LoadRun.Result run = LoadRun.openLoop(caller, n, rate, settings.concurrency(), settings.s2CutOff());
            MockStats stats = server.stats();
            // The mock's outage clock starts at install; shift it onto the run's clock.
            long offset = installed - run.startNanos();
            long outageFrom = offset + start.toNanos();
            long outageTo = outageFrom + length.toNanos();
            long arrived = run.outcomes().stream()
                .filter(o -> o.arrivalNanos() >= outageFrom && o.arrivalNanos() < outageTo).count();
            long began = run.outcomes().stream()
                .filter(o -> o.startNanos() >= outageFrom && o.startNanos() < outageTo).count();
            long attempts = stats.faults("outage");
            long[] successes = run.outcomes().stream().filter(Outcome::ok).mapToLong(Outcome::endNanos).toArray();
            long offeredUntil = LoadRun.arrivalNanos(n - 1, rate);
            OptionalDouble recovery = Metrics.recoverySeconds(successes, outageTo, Math.max(offeredUntil, lastEnd(run)),
                rate, RECOVERY_WINDOW, RECOVERY_STEP, RECOVERY_FRACTION);
            return new Row("S2", contender.name())
                .put("amplification", Metrics.amplification(attempts, began))
                .put("recovery_s", recovery.isPresent() ? recovery.getAsDouble() : Double.NaN)
                .put("attempts_during_outage", attempts)
                .put("requests_begun_during_outage", began)
                .put("requests_offered_during_outage", arrived)
                .put("amplification_per_offered", Metrics.amplification(attempts, arrived))
                .put("failed", n - run.succeeded())
                .put("attempts", stats.totalRequests())
                .put("cut_off", run.cutOff())
                .put("errors", errors(run))
                .put("error_sample", errorSample(run));
          }
        });
  }

  Bench flaky() {
    Scenario mock = Scenario.builder()
        .faultRates(settings.s3Faults())
        .latency(settings.s3Latency())
        .seed(42)
        .requestLogCapacity(REQUEST_LOG)
        .build();
    int n = settings.s3Requests();
    return bench("S3", String.format(
        "flaky: %,d requests, closed loop, concurrency %d; faults %s, latency %s (seed 42); percentiles are of the "
            + "successful calls' durations (first attempt to return)",
        n, settings.concurrency(), settings.s3Faults(), settings.s3Latency()),
        (contender, server) -> {
          try (ChatCaller caller = contender.open(server.baseUrl())) {
            install(server, mock);
            LoadRun.Result run = LoadRun.closedLoop(caller, n, settings.concurrency(), settings.s3CutOff());
            MockStats stats = server.stats();
            long[] durations = run.outcomes().stream().filter(Outcome::ok).mapToLong(Outcome::durationNanos).toArray();
            return new Row("S3", contender.name())
                .put("success_rate", (double) run.succeeded() / n)
                .put("p50_ms", millis(Metrics.quantile(durations, 0.50)))
                .put("p99_ms", millis(Metrics.quantile(durations, 0.99)))
                .put("failed", n - run.succeeded())
                .put("attempts", stats.totalRequests())
                .put("wall_s", (run.cutOff() ? run.elapsedNanos() : lastEnd(run)) / 1e9)
                .put("cut_off", run.cutOff())
                .put("errors", errors(run))
                .put("error_sample", errorSample(run));
          }
        });
  }

  Bench quota() {
    Scenario mock = Scenario.builder().faultRates("quota=1").requestLogCapacity(REQUEST_LOG).build();
    int n = settings.s4Requests();
    return bench("S4", String.format(
        "quota: every request gets 429 insufficient_quota; %d requests, one per worker (concurrency %d); "
            + "attempts = mock requests ÷ N; time_to_error = median call duration",
        n, Math.min(n, settings.concurrency())),
        (contender, server) -> {
          try (ChatCaller caller = contender.open(server.baseUrl())) {
            install(server, mock);
            LoadRun.Result run = LoadRun.closedLoop(caller, n, Math.min(n, settings.concurrency()), settings.s4CutOff());
            MockStats stats = server.stats();
            long[] durations = run.outcomes().stream().filter(Outcome::finished)
                .mapToLong(Outcome::durationNanos).toArray();
            return new Row("S4", contender.name())
                .put("attempts", (double) stats.totalRequests() / n)
                .put("time_to_error_ms", millis(Metrics.quantile(durations, 0.5)))
                .put("max_time_to_error_ms", millis(Metrics.quantile(durations, 1.0)))
                .put("succeeded", run.succeeded())
                .put("cut_off", run.cutOff())
                .put("errors", errors(run))
                .put("error_sample", errorSample(run));
          }
        });
  }

  /** Installs the scenario with fresh buckets, outage clock and stats; returns when (System.nanoTime). */
  private static long install(MockServer server, Scenario mock) {
    server.scenario(mock);
    server.reset();
    return System.nanoTime();
  }

  private static long lastEnd(LoadRun.Result run) {
    return run.outcomes().stream().mapToLong(Outcome::endNanos).max().orElse(0);
  }

  private static double millis(OptionalDouble nanos) {
    return nanos.isPresent() ? nanos.getAsDouble() / 1e6 : Double.NaN;
  }

  /** Failures by exception type, e.g. {@code "RateLimitException=12, cut off=3"}; empty when none. */
  private static String errors(LoadRun.Result run) {
    java.util.TreeMap<String, Long> counts = new java.util.TreeMap<>();
    run.outcomes().stream().filter(o -> !o.ok()).forEach(o -> counts.merge(o.error(), 1L, Long::sum));
    StringBuilder text = new StringBuilder();
    counts.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append('=').append(v));
    return text.toString();
  }

  /** The message of the last failure that has one, to show why requests failed. */
  private static String errorSample(LoadRun.Result run) {
    return run.outcomes().stream().filter(o -> o.message() != null).reduce((a, b) -> b)
        .map(o -> o.error() + ": " + o.message()).orElse(null);
  }

  private interface Runner {
    Row run(Contender contender, MockServer server);
  }

  private static Bench bench(String id, String description, Runner runner) {
    return new Bench() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public Row run(Contender contender, MockServer server) {
        return runner.run(contender, server);
      }
    };
  }
}
