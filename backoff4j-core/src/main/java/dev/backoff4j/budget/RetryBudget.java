package dev.backoff4j.budget;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.time.TimeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

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
 * ({@link WhenExhausted#WAIT}, {@link #claimRetry()}): the retry waits in line, paid in order by the
 * next deposits (a flaky service's successes pay for its retries as they come in) or, at the latest,
 * by the floor's refill — so a burst of failures is retried as fast as the budget earns, and an
 * outage at {@code minRetriesPerSecond}, instead of failing the callers' work.
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
  /** Claims waiting to be paid, in the order they were made. */
  private final ArrayDeque<Claim> line = new ArrayDeque<>();

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

  private void deposit(long units) {
    List<Claim> paid = null;
    synchronized (this) {
      balanceUnits = Math.min(maxBalanceUnits, balanceUnits + units);
      // Claims in line come first: each one paid here releases the floor refill it was promised.
      while (!line.isEmpty() && balanceUnits >= UNIT) {
        Claim claim = line.poll();
        balanceUnits -= UNIT;
        if (claim.dueNanos != Long.MAX_VALUE) {
          refillFloor();
          floorUnits = Math.min(floorCapacityUnits, floorUnits + UNIT);
        }
        if (paid == null) {
          paid = new ArrayList<>();
        }
        paid.add(claim);
      }
    }
    if (paid != null) {
      // Through the scheduler: the depositor may be deciding its own execution and must not run another.
      for (Claim claim : paid) {
        time.schedule(0, () -> claim.paid.complete(null));
      }
    }
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

  /** What this budget allows: its settings, without its state (for status pages). */
  public Settings asSettings() {
    return settings;
  }

  /**
   * Claims one retry: paid at once from the balance or the floor when they have one, else put in
   * line. A claim in line is paid, in order, by the first of: the deposits that come in (each
   * request's {@code ratio}, each success's {@code successRatio}), or the floor's refill at
   * {@code minRetriesPerSecond}, which is known when the claim is made: the {@code n}-th claim in
   * line is paid by {@link Claim#dueNanos()} at the latest ({@code n / minRetriesPerSecond} from now,
   * if nothing else pays). A caller that stops waiting gives the claim back with {@link #withdraw};
   * one still waiting at its due time takes it with {@link #settleDue}.
   */
  public Claim claimRetry() {
    synchronized (this) {
      if (balanceUnits >= UNIT) {
        balanceUnits -= UNIT;
        return Claim.PAID;
      }
      refillFloor();
      if (floorUnits >= UNIT) {
        floorUnits -= UNIT;
        return Claim.PAID;
      }
      if (floorCapacityUnits == 0) {
        Claim never = new Claim(Long.MAX_VALUE);
        line.add(never);
        return never;
      }
      // The floor goes into debt: its refill is promised to the claims in line, in order.
      floorUnits -= UNIT;
      double nanos = Math.ceil(-floorUnits * 1e9 / floorCapacityUnits);
      long now = time.nanoTime();
      Claim claim = new Claim(nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + (long) nanos);
      line.add(claim);
      return claim;
    }
  }

  /** A claim in line that is no longer wanted (deadline, cancellation): its place goes back to the floor. */
  public synchronized void withdraw(Claim claim) {
    if (line.remove(claim) && claim.dueNanos != Long.MAX_VALUE) {
      refillFloor();
      floorUnits = Math.min(floorCapacityUnits, floorUnits + UNIT);
    }
  }

  /** A claim reached its due time unpaid: the floor's refill, promised to it, pays it now. */
  public void settleDue(Claim claim) {
    synchronized (this) {
      if (!line.remove(claim)) {
        return;
      }
    }
    claim.paid.complete(null);
  }

  /** Retries currently available (balance plus floor), for metrics; negative while claims wait for the floor. */
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
   * One retry's claim on a budget ({@link #claimRetry()}): paid at once, or in line until a deposit
   * or, at {@link #dueNanos()} at the latest, the floor pays it.
   */
  public static final class Claim {

    static final Claim PAID = new Claim(0);

    static {
      PAID.paid.complete(null);
    }

    final CompletableFuture<Void> paid = new CompletableFuture<>();
    final long dueNanos;

    private Claim(long dueNanos) {
      this.dueNanos = dueNanos;
    }

    public boolean isPaid() {
      return paid.isDone();
    }

    /**
     * When the floor will have paid this claim if nothing pays it sooner, on the budget's clock
     * ({@link TimeSource#nanoTime()}); {@link Long#MAX_VALUE} when the floor never refills.
     */
    public long dueNanos() {
      return dueNanos;
    }

    /**
     * Done once the claim is paid (by a deposit, or by {@link #settleDue}); a view: completing it
     * changes nothing.
     */
    public Future<Void> whenPaid() {
      return paid.copy();
    }

    /** Runs {@code action} once the claim is paid (at once if it is), on the thread that pays it. */
    public void onPaid(Runnable action) {
      paid.thenRun(action);
    }

    @Override
    public String toString() {
      return isPaid() ? "Claim[paid]" : "Claim[due at " + dueNanos + "]";
    }
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
