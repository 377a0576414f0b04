package dev.backoff4j.mock.internal;

import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.Scenario;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The server's mutable heart: the installed scenario's state and the stats, each swapped whole so
 * request handling reads one consistent snapshot without locks.
 */
public final class MockEngine {
  private final LongSupplier nanoTime;
  private final long startNanos;
  private volatile ScenarioState state;
  private volatile StatsRecorder stats;

  public MockEngine(Scenario scenario, LongSupplier nanoTime) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.startNanos = nanoTime.getAsLong();
    this.state = new ScenarioState(scenario, nanoTime);
    this.stats = new StatsRecorder(scenario.requestLogCapacity());
  }

  public ScenarioState state() {
    return state;
  }

  public StatsRecorder stats() {
    return stats;
  }

  public long sinceStartNanos() {
    return nanoTime.getAsLong() - startNanos;
  }

  /**
   * Installs a scenario: fresh buckets, script position and outage clock; stats are kept (a new
   * request log capacity applies from the next reset).
   */
  public void install(Scenario scenario) {
    state = new ScenarioState(Objects.requireNonNull(scenario, "scenario"), nanoTime);
  }

  /** Restarts the current scenario and clears the stats. */
  public void reset() {
    Scenario scenario = state.scenario();
    stats = new StatsRecorder(scenario.requestLogCapacity());
    state = new ScenarioState(scenario, nanoTime);
  }

  /** The counters and a copy of the request log. */
  public MockStats snapshot() {
    return stats.snapshot();
  }

  /** The counters without the request log. */
  public MockStats counts() {
    return stats.counts();
  }
}
