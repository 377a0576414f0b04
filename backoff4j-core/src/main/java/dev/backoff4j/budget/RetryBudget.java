package dev.backoff4j.budget;

import dev.backoff4j.time.TimeSource;
import java.util.Locale;
import java.util.Objects;

/**
 * Limits retries to a fraction of requests plus a small floor per second, shared by any number of
 * policies and threads (the gRPC / Finagle "retry budget"). During a full outage every first attempt
 * fails, yet the retries added are at most {@code ratio} of the traffic plus the floor, not
 * {@code maxAttempts - 1} times it.
 *
 * <p>Mechanics: each request deposits {@code ratio} of a token (Finagle style) and each success
 * {@code successRatio} of a token (gRPC style) into a balance capped at {@code maxBalance}; each retry
 * withdraws one whole token. When the balance is short, a retry may instead take a token from a floor
 * that refills at {@code minRetriesPerSecond} (capacity: one second's worth), so that low-traffic
 * clients can still retry. Thread-safe; one short lock per call.
 *
 * <p>Which deposit to use: per-request deposits allow the same retry rate in an outage as on a flaky
 * but working service, so one ratio cannot both cap an outage tightly and cover a flaky service whose
 * failure rate exceeds it. Per-success deposits separate the two: an outage earns nothing (only the
 * floor and what was banked), while a service failing 12 % of calls earns {@code 0.88 × successRatio}
 * retries per call.
 */
public final class RetryBudget {

  /** Tokens are counted in millionths so that ten deposits of 0.1 make exactly one retry. */
  private static final long UNIT = 1_000_000L;

  private final double ratio;
  private final double successRatio;
  private final double minRetriesPerSecond;
  private final double maxBalance;
  private final TimeSource time;
  private final long depositUnits;
  private final long successDepositUnits;
  private final long maxBalanceUnits;
  private final long floorCapacityUnits;

  private long balanceUnits;
  private long floorUnits;
  private long floorRefilledAt;

  private RetryBudget(Builder builder) {
    this.ratio = builder.ratio;
    this.successRatio = builder.successRatio;
    this.minRetriesPerSecond = builder.minRetriesPerSecond;
    this.maxBalance = builder.maxBalance;
    this.time = builder.time;
    this.depositUnits = Math.round(ratio * UNIT);
    this.successDepositUnits = Math.round(successRatio * UNIT);
    this.maxBalanceUnits = Math.round(maxBalance * UNIT);
    this.floorCapacityUnits = Math.round(minRetriesPerSecond * UNIT);
    this.floorUnits = floorCapacityUnits;
    this.floorRefilledAt = time.nanoTime();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Records a first attempt, earning {@code ratio} of a retry. */
  public void recordRequest() {
    if (depositUnits != 0) {
      deposit(depositUnits);
    }
  }

  /** Records an execution that succeeded, earning {@code successRatio} of a retry. */
  public void recordSuccess() {
    if (successDepositUnits != 0) {
      deposit(successDepositUnits);
    }
  }

  private synchronized void deposit(long units) {
    balanceUnits = Math.min(maxBalanceUnits, balanceUnits + units);
  }

  /**
   * Takes one retry from the budget.
   *
   * @return {@code false} when none is left; the caller should give up instead of retrying
   */
  public synchronized boolean tryAcquireRetry() {
    if (balanceUnits >= UNIT) {
      balanceUnits -= UNIT;
      return true;
    }
    refillFloor();
    if (floorUnits >= UNIT) {
      floorUnits -= UNIT;
      return true;
    }
    return false;
  }

  /** Retries currently available (balance plus floor), for metrics. */
  public synchronized double available() {
    refillFloor();
    return (double) (balanceUnits + floorUnits) / UNIT;
  }

  private void refillFloor() {
    long now = time.nanoTime();
    long elapsed = now - floorRefilledAt;
    if (elapsed > 0) {
      // units per second = floorCapacityUnits; computed in double to avoid overflow on long gaps
      double refill = elapsed / 1e9 * floorCapacityUnits;
      floorUnits = (long) Math.min(floorCapacityUnits, floorUnits + refill);
      floorRefilledAt = now;
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "RetryBudget[ratio=%s, successRatio=%s, minRetriesPerSecond=%s, maxBalance=%s]",
        ratio, successRatio, minRetriesPerSecond, maxBalance);
  }

  /**
   * Settings, validated at {@link #build()}. Defaults: ratio 0.1, successRatio 0, floor 10/s, balance
   * cap 100.
   */
  public static final class Builder {
    private double ratio = 0.1;
    private double successRatio;
    private double minRetriesPerSecond = 10;
    private double maxBalance = 100;
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /** Retries earned per request, in [0, 1]: 0.1 lets one request in ten be retried. */
    public Builder ratio(double ratio) {
      this.ratio = ratio;
      return this;
    }

    /** Retries earned per successful execution, in [0, 1] (gRPC style; see the class notes). */
    public Builder successRatio(double successRatio) {
      this.successRatio = successRatio;
      return this;
    }

    /** Retries always available per second regardless of traffic, ≥ 0. */
    public Builder minRetriesPerSecond(double minRetriesPerSecond) {
      this.minRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    /**
     * The most retries that quiet, healthy traffic can save up, ≥ 1. Keeps a long healthy stretch from
     * paying for a burst of retries when the outage starts.
     */
    public Builder maxBalance(double maxBalance) {
      this.maxBalance = maxBalance;
      return this;
    }

    /** The clock that refills the floor. */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "timeSource");
      return this;
    }

    public RetryBudget build() {
      if (!(ratio >= 0 && ratio <= 1)) {
        throw new IllegalArgumentException("retry budget setting 'ratio' must be in [0, 1], was " + ratio);
      }
      if (!(successRatio >= 0 && successRatio <= 1)) {
        throw new IllegalArgumentException(
            "retry budget setting 'successRatio' must be in [0, 1], was " + successRatio);
      }
      if (!(minRetriesPerSecond >= 0) || Double.isInfinite(minRetriesPerSecond)) {
        throw new IllegalArgumentException(
            "retry budget setting 'minRetriesPerSecond' must be a finite number >= 0, was " + minRetriesPerSecond);
      }
      if (!(maxBalance >= 1) || Double.isInfinite(maxBalance)) {
        throw new IllegalArgumentException(
            "retry budget setting 'maxBalance' must be a finite number >= 1, was " + maxBalance);
      }
      return new RetryBudget(this);
    }
  }
}
