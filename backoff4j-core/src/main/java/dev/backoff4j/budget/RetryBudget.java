package dev.backoff4j.budget;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.time.TimeSource;
import java.util.Locale;
import java.util.Objects;

/**
 * Limits retries to a fraction of requests plus a small floor per second, shared by any number of
 * executions and threads (the gRPC / Finagle "retry budget"). During a full outage every first attempt
 * fails, yet the retries added are at most {@code ratio} of the traffic plus the floor, not
 * {@code maxAttempts - 1} times it.
 *
 * <p>Mechanics: each request deposits {@code ratio} of a token (Finagle style) and each success
 * {@code successRatio} of a token (gRPC style) into a balance capped at {@code maxBalance}; each retry
 * withdraws one whole token. When the balance is short, a retry may instead take a token from a floor
 * that refills at {@code minRetriesPerSecond} (capacity: one second's worth), so that low-traffic
 * clients can still retry. Thread-safe; one short lock per call.
 *
 * <p>When nothing is left, a policy either gives up ({@link WhenExhausted#FAIL}) or waits
 * ({@link WhenExhausted#WAIT}, {@link #reserveRetryNanos()}): the floor then goes into debt, and
 * each waiting retry is paid, in order, by its refill, so an outage is retried at
 * {@code minRetriesPerSecond} instead of failing the callers' work.
 *
 * <p>Which deposit to use: per-request deposits allow the same retry rate in an outage as on a flaky
 * but working service, so one ratio cannot both cap an outage tightly and cover a flaky service whose
 * failure rate exceeds it. Per-success deposits separate the two: an outage earns nothing (only the
 * floor and what was banked), while a service failing 12 % of calls earns {@code 0.88 × successRatio}
 * retries per call.
 *
 * <p>A budget is live state. A retry policy usually holds only its {@link Settings} and makes its own
 * budget when built ({@code RetryPolicyBuilder.budget(settings)}); a budget made here with
 * {@link Settings#newBudget} is shared with whatever else is given it
 * ({@code RetryPolicyBuilder.sharedBudget(budget)}).
 */
public final class RetryBudget {

  /** Tokens are counted in millionths so that ten deposits of 0.1 make exactly one retry. */
  private static final long UNIT = 1_000_000L;

  private final Settings settings;
  private final TimeSource time;
  private final long depositUnits;
  private final long successDepositUnits;
  private final long maxBalanceUnits;
  private final long floorCapacityUnits;

  private long balanceUnits;
  private long floorUnits;
  private long floorRefilledAt;

  private RetryBudget(Settings settings, TimeSource time) {
    this.settings = settings;
    this.time = Objects.requireNonNull(time, "timeSource");
    this.depositUnits = Math.round(settings.ratio * UNIT);
    this.successDepositUnits = Math.round(settings.successRatio * UNIT);
    this.maxBalanceUnits = Math.round(settings.maxBalance * UNIT);
    this.floorCapacityUnits = Math.round(settings.minRetriesPerSecond * UNIT);
    this.floorUnits = floorCapacityUnits;
    this.floorRefilledAt = time.nanoTime();
  }

  /** Starts settings with the defaults listed on {@link Settings.Builder}. */
  public static Settings.Builder settings() {
    return new Settings.Builder();
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

  /**
   * Takes one retry from the budget now or, when none is left, from the floor's coming refill, and
   * answers how long the caller must wait before it may retry: 0 when the balance or the floor pays at
   * once. Retries that wait take from the floor in the order they ask, so the {@code n}-th in line
   * waits until the floor (refilling at {@code minRetriesPerSecond}) has paid the {@code n} before and
   * its own; the answer is exact when asked, whatever happens later. Callers that do not retry after
   * all (deadline, cancellation) give the retry back with {@link #returnRetry()}.
   *
   * @return nanoseconds to wait; {@link Long#MAX_VALUE} when the floor never refills
   *     ({@code minRetriesPerSecond} 0) and nothing is left
   */
  public synchronized long reserveRetryNanos() {
    if (balanceUnits >= UNIT) {
      balanceUnits -= UNIT;
      return 0;
    }
    refillFloor();
    if (floorUnits >= UNIT) {
      floorUnits -= UNIT;
      return 0;
    }
    if (floorCapacityUnits == 0) {
      return Long.MAX_VALUE;
    }
    // The floor goes into debt: the queue of retries waiting for its refill, served in order.
    floorUnits -= UNIT;
    double nanos = Math.ceil(-floorUnits * 1e9 / floorCapacityUnits);
    return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
  }

  /**
   * Gives back a retry taken by {@link #reserveRetryNanos()} (or {@link #tryAcquireRetry()}) that was
   * not made: to the floor while it is below its capacity (shortening the queue for later callers),
   * else to the balance.
   */
  public synchronized void returnRetry() {
    refillFloor();
    if (floorUnits + UNIT <= floorCapacityUnits) {
      floorUnits += UNIT;
    } else {
      balanceUnits = Math.min(maxBalanceUnits, balanceUnits + UNIT);
    }
  }

  /** Retries currently available (balance plus floor), for metrics; negative while retries queue for the floor. */
  public synchronized double available() {
    refillFloor();
    return (double) (balanceUnits + floorUnits) / UNIT;
  }

  /** What this budget allows: the settings it was made from. */
  public Settings limits() {
    return settings;
  }

  private void refillFloor() {
    long now = time.nanoTime();
    long elapsed = now - floorRefilledAt;
    if (elapsed > 0) {
      // units per second = floorCapacityUnits; computed in double to avoid overflow on long gaps
      double refill = elapsed / 1e9 * floorCapacityUnits;
      // floor() keeps a debt from being rounded up: a queued retry never gets its token early
      floorUnits = (long) Math.floor(Math.min(floorCapacityUnits, floorUnits + refill));
      floorRefilledAt = now;
    }
  }

  @Override
  public String toString() {
    return "RetryBudget[" + settings.describe() + "]";
  }

  /**
   * What a budget allows, without its state: an immutable value a retry policy holds so that each
   * policy built from it gets a budget of its own.
   */
  public static final class Settings {

    private static final String COMPONENT = "retry budget";

    private final double ratio;
    private final double successRatio;
    private final double minRetriesPerSecond;
    private final double maxBalance;

    private Settings(Builder builder) {
      this.ratio = builder.ratio;
      this.successRatio = builder.successRatio;
      this.minRetriesPerSecond = builder.minRetriesPerSecond;
      this.maxBalance = builder.maxBalance;
    }

    /** A new budget with these settings, refilling its floor on {@code time}. */
    public RetryBudget newBudget(TimeSource time) {
      return new RetryBudget(this, time);
    }

    /** A builder holding these settings, to derive a variant. */
    public Builder toBuilder() {
      return new Builder().ratio(ratio).successRatio(successRatio).minRetriesPerSecond(minRetriesPerSecond)
          .maxBalance(maxBalance);
    }

    public double ratio() {
      return ratio;
    }

    public double successRatio() {
      return successRatio;
    }

    public double minRetriesPerSecond() {
      return minRetriesPerSecond;
    }

    public double maxBalance() {
      return maxBalance;
    }

    String describe() {
      return String.format(Locale.ROOT, "ratio=%s, successRatio=%s, minRetriesPerSecond=%s, maxBalance=%s",
          ratio, successRatio, minRetriesPerSecond, maxBalance);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Settings that && ratio == that.ratio && successRatio == that.successRatio
          && minRetriesPerSecond == that.minRetriesPerSecond && maxBalance == that.maxBalance;
    }

    @Override
    public int hashCode() {
      return Objects.hash(ratio, successRatio, minRetriesPerSecond, maxBalance);
    }

    @Override
    public String toString() {
      return "RetryBudget.Settings[" + describe() + "]";
    }

    /**
     * Budget settings; each setter checks its range and names itself when it refuses a value.
     * Defaults: ratio 0.1, successRatio 0, floor 10/s, balance cap 100.
     */
    public static final class Builder {
      private double ratio = 0.1;
      private double successRatio;
      private double minRetriesPerSecond = 10;
      private double maxBalance = 100;

      private Builder() {}

      /** Retries earned per request, in [0, 1]: 0.1 lets one request in ten be retried. */
      public Builder ratio(double ratio) {
        InvalidSettingException.check(ratio >= 0 && ratio <= 1, COMPONENT, "ratio", "must be in [0, 1]", ratio);
        this.ratio = ratio;
        return this;
      }

      /** Retries earned per successful execution, in [0, 1] (gRPC style; see the class notes). */
      public Builder successRatio(double successRatio) {
        InvalidSettingException.check(successRatio >= 0 && successRatio <= 1, COMPONENT, "successRatio",
            "must be in [0, 1]", successRatio);
        this.successRatio = successRatio;
        return this;
      }

      /** Retries always available per second regardless of traffic, ≥ 0. */
      public Builder minRetriesPerSecond(double minRetriesPerSecond) {
        InvalidSettingException.check(minRetriesPerSecond >= 0 && !Double.isInfinite(minRetriesPerSecond), COMPONENT,
            "minRetriesPerSecond", "must be a finite number >= 0", minRetriesPerSecond);
        this.minRetriesPerSecond = minRetriesPerSecond;
        return this;
      }

      /**
       * The most retries that quiet, healthy traffic can save up, ≥ 1. Keeps a long healthy stretch
       * from paying for a burst of retries when the outage starts.
       */
      public Builder maxBalance(double maxBalance) {
        InvalidSettingException.check(maxBalance >= 1 && !Double.isInfinite(maxBalance), COMPONENT, "maxBalance",
            "must be a finite number >= 1", maxBalance);
        this.maxBalance = maxBalance;
        return this;
      }

      public Settings build() {
        return new Settings(this);
      }
    }
  }
}
