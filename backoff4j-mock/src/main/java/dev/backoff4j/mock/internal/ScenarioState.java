package dev.backoff4j.mock.internal;

import dev.backoff4j.mock.Fault;
import dev.backoff4j.mock.FaultKind;
import dev.backoff4j.mock.FaultScript;
import dev.backoff4j.mock.OutageWindow;
import dev.backoff4j.mock.Scenario;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The moving parts of one installed scenario: rate-limit buckets, the script position, the random
 * source and outage timing. Replaced whole on install or reset, so nothing leaks between them.
 */
public final class ScenarioState {
  private final Scenario scenario;
  private final LongSupplier nanoTime;
  private final long installedAtNanos;
  private final RateLimiter rateLimiter;
  private final AtomicInteger scriptPosition = new AtomicInteger();
  private final AtomicLong outageUntilNanos;
  // Separate sources so that a seeded scenario's fault sequence does not shift when latency or
  // rate limiting draws numbers too.
  private final Random faultRandom;
  private final Random latencyRandom;
  private final boolean randomFaults;

  public ScenarioState(Scenario scenario, LongSupplier nanoTime) {
    this.scenario = scenario;
    this.nanoTime = nanoTime;
    this.installedAtNanos = nanoTime.getAsLong();
    this.outageUntilNanos = new AtomicLong(installedAtNanos);
    this.rateLimiter = new RateLimiter(scenario.rateLimit(), nanoTime);
    this.faultRandom = scenario.seed().isPresent() ? new Random(scenario.seed().getAsLong()) : new Random();
    this.latencyRandom =
        scenario.seed().isPresent() ? new Random(~scenario.seed().getAsLong()) : new Random();
    this.randomFaults = !scenario.faultRates().isEmpty();
  }

  public Scenario scenario() {
    return scenario;
  }

  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /**
   * Chooses the fault for a request arriving now: an ongoing outage first, then the script (if the
   * request matches it), then the random rates. A chosen {@code outage:DUR} starts (or extends) an
   * outage.
   *
   * @param header looks up a request header by lower-case name, returning null if absent
   */
  public Fault nextFault(Function<String, String> header) {
    long now = nanoTime.getAsLong();
    if (now - outageUntilNanos.get() < 0) {
      return new Fault(FaultKind.OUTAGE, 503, 0, Duration.ZERO);
    }
    for (OutageWindow window : scenario.outages()) {
      long start = installedAtNanos + window.start().toNanos();
      if (now - start >= 0 && now - (start + window.length().toNanos()) < 0) {
        return new Fault(FaultKind.OUTAGE, window.status(), 0, Duration.ZERO);
      }
    }
    Fault fault = scripted(header);
    if (fault == null && randomFaults) {
      fault = scenario.faultRates().pick(faultRandom.nextDouble());
    }
    if (fault == null) {
      return Fault.NONE;
    }
    if (fault.kind() == FaultKind.OUTAGE) {
      long until = now + fault.duration().toNanos();
      outageUntilNanos.accumulateAndGet(until, (a, b) -> b - a > 0 ? b : a);
    }
    return fault;
  }

  private Fault scripted(Function<String, String> header) {
    FaultScript script = scenario.script();
    int size = script.faults().size();
    if (size == 0 || scriptPosition.get() >= size) {
      return null;
    }
    if (script.match().isPresent()) {
      String value = header.apply(script.match().get().name());
      if (!script.match().get().value().equals(value)) {
        return null;
      }
    }
    int position = scriptPosition.getAndIncrement();
    return position < size ? script.faults().get(position) : null;
  }

  /** A latency sample from the scenario's distribution, in nanoseconds. */
  public long sampleLatencyNanos() {
    return scenario.latency().isZero() ? 0 : scenario.latency().sampleNanos(latencyRandom::nextDouble);
  }
}
