package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import java.util.List;

/** The suite: S1–S6 in order, each sized by {@link Settings}. */
final class Scenarios {

  /** The mock's request log for scenarios that read it (first-second 429s, attempts during the outage). */
  static final int REQUEST_LOG = 200_000;

  private Scenarios() {}

  /** One scenario of the suite. */
  interface Bench {
    String id();

    /** What it does and what its fields mean, for the report. */
    String description();

    /** Runs {@code contender} alone against {@code server} (re-installed and reset first). */
    Row run(Contender contender, MockServer server);

    /**
     * Rows beyond one per contender, run after them (S5's Redis variants); {@code contenders} are
     * the ones this run selected.
     */
    default List<Row> extraRows(MockServer server, List<Contender> contenders) {
      return List.of();
    }
  }

  static List<Bench> all(Settings settings) {
    return List.of(
        new BulkScenario(settings.s1(), settings.concurrency()),
        new OutageScenario(settings.s2(), settings.concurrency()),
        new LongOutageScenario(settings.s2Long(), settings.concurrency()),
        new FlakyScenario(settings.s3(), settings.concurrency()),
        new QuotaScenario(settings.s4(), settings.concurrency()),
        new FleetScenario(settings.s5(), settings.s1()),
        new FleetProcessesScenario(settings.s5(), settings.s1(), settings.childJvm()),
        new BurstScenario(settings.s6(), settings.childJvm()));
  }

  /** The ids of {@link #all}, in order, for argument checking. */
  static List<String> ids() {
    return all(Settings.quick()).stream().map(Bench::id).toList();
  }

  /** Random faults at {@code faultRates} and {@code latency}, seed 42 (the same faults for every contender), no request log. */
  static Scenario faulty(String faultRates, String latency) {
    return Scenario.builder()
        .faultRates(faultRates)
        .latency(latency)
        .seed(42)
        .requestLogCapacity(0)
        .build();
  }

  /** Installs {@code mock} with fresh buckets, outage clock and stats; returns when, on {@link System#nanoTime()}. */
  static long install(MockServer server, Scenario mock) {
    server.scenario(mock);
    server.reset();
    return System.nanoTime();
  }
}
