package dev.backoff4j.openai.gate;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.gate.internal.DefaultOutageGate;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Stops a client from hammering an endpoint that is down, without failing the callers' work: when
 * the endpoint keeps failing, requests wait at the gate (within their deadline) while one probe at a
 * time tries it; the first success lets the waiting requests through in slow start.
 *
 * <ul>
 *   <li><b>Closes</b> after {@link Settings.Builder#failuresToClose} transient failures in a row
 *       (default 10): a 5xx, a connection failure, a timeout of the attempt. Any other answer from the
 *       server (2xx, 4xx, a 429) resets the run; local waits (pacing, the gate itself) and
 *       cancellations count for nothing. A service failing 12 % of calls closes a 10-failure gate
 *       once in about 10^9 calls; an outage closes it within 10 failures.
 *   <li><b>While closed</b>, new requests and scheduled retries wait in arrival order (asynchronous
 *       calls hold no thread) and one probe at a time is let through: the first after
 *       {@link Settings.Builder#probeInitialDelay} (100 ms), each next after a jittered exponential
 *       backoff up to {@link Settings.Builder#probeMaxDelay} (1 s). A failed probe goes back to waiting
 *       at the head of the queue without using up its attempts (when the call has a deadline; without
 *       one the failure counts as its attempt, so that the retry policy's attempts still bound it).
 *   <li><b>Opens</b> on the first success (a probe's, or a request's sent before the gate closed),
 *       in slow start ({@link GateState#RECOVERING}): 2 requests in flight, one more per success (so
 *       the window doubles each round trip), until nobody waits; then it is {@link GateState#OPEN}.
 *   <li>A call whose deadline passes at the gate fails with {@link OutageGateTimeoutException}
 *       (reason {@code DEADLINE_EXCEEDED}) saying since when the endpoint has been failing and how
 *       long the call waited. Cancelling a waiting call removes it from the gate.
 *   <li>{@link WhenClosed#FAIL} makes it a circuit breaker instead: while closed, requests other than
 *       the probe fail at once with {@link OutageGateClosedException}.
 * </ul>
 *
 * <p>A pipeline keeps one gate per endpoint — the base URL's origin and a hash of the API key — for
 * all its requests and the pipelines derived from it ({@code newBuilder()}); several pipelines share
 * one explicitly with {@code sharedOutageGate(gate)}, a gate made by {@link Settings#newGate}. Made
 * only by the settings; not for implementing. Thread-safe.
 */
public interface OutageGate {

  /** Settings with the defaults listed on {@link Settings.Builder}. */
  static Settings.Builder settings() {
    return new Settings.Builder();
  }

  /** The default settings: close after 10 failures in a row, probe after 100 ms up to every 1 s, wait. */
  static Settings defaults() {
    return Settings.DEFAULTS;
  }

  /**
   * No gate: every request is sent whatever the endpoint's state, as before gates existed. With the
   * retry budget set to {@code onBudgetExhausted(FAIL)}, this is the fail-fast choice.
   */
  static Settings disabled() {
    return Settings.DISABLED;
  }

  /** The gate's state now: open, closed or recovering, the requests waiting, since when it fails. */
  GateStats stats();

  /**
   * What a gate does, without its state: an immutable value a pipeline holds so that each endpoint
   * gets a gate of its own. {@link #equals} compares the settings (listeners by identity).
   */
  final class Settings {

    static final Settings DEFAULTS = new Builder().build();
    static final Settings DISABLED = new Settings(new Builder(), false);

    private final boolean enabled;
    private final int failuresToClose;
    private final Duration probeInitialDelay;
    private final Duration probeMaxDelay;
    private final WhenClosed whenClosed;
    private final List<GateListener> listeners;

    private Settings(Builder builder, boolean enabled) {
      this.enabled = enabled;
      this.failuresToClose = builder.failuresToClose;
      this.probeInitialDelay = builder.probeInitialDelay;
      this.probeMaxDelay = builder.probeMaxDelay;
      this.whenClosed = builder.whenClosed;
      this.listeners = List.copyOf(builder.listeners);
    }

    /**
     * A new gate with these settings, on {@code time}'s clock and scheduler: to share explicitly
     * between pipelines ({@code sharedOutageGate(gate)}).
     *
     * @throws IllegalStateException for {@link OutageGate#disabled()}
     */
    public OutageGate newGate(TimeSource time) {
      if (!enabled) {
        throw new IllegalStateException("OutageGate.disabled() makes no gate");
      }
      return new DefaultOutageGate(this, Objects.requireNonNull(time, "time"));
    }

    /** Whether these settings make a gate at all ({@code false} for {@link OutageGate#disabled()}). */
    public boolean enabled() {
      return enabled;
    }

    public int failuresToClose() {
      return failuresToClose;
    }

    public Duration probeInitialDelay() {
      return probeInitialDelay;
    }

    public Duration probeMaxDelay() {
      return probeMaxDelay;
    }

    public WhenClosed whenClosed() {
      return whenClosed;
    }

    public List<GateListener> listeners() {
      return listeners;
    }

    /** A builder holding these settings (enabled), to derive a variant. */
    public Builder toBuilder() {
      Builder builder = new Builder().failuresToClose(failuresToClose).probeInitialDelay(probeInitialDelay)
          .probeMaxDelay(probeMaxDelay).whenClosed(whenClosed);
      listeners.forEach(builder::listener);
      return builder;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Settings that && enabled == that.enabled && failuresToClose == that.failuresToClose
          && probeInitialDelay.equals(that.probeInitialDelay) && probeMaxDelay.equals(that.probeMaxDelay)
          && whenClosed == that.whenClosed && listeners.equals(that.listeners);
    }

    @Override
    public int hashCode() {
      return Objects.hash(enabled, failuresToClose, probeInitialDelay, probeMaxDelay, whenClosed, listeners);
    }

    @Override
    public String toString() {
      return !enabled ? "OutageGate.disabled()" : "OutageGate.Settings[failuresToClose=" + failuresToClose
          + ", probe " + probeInitialDelay + ".." + probeMaxDelay + ", whenClosed=" + whenClosed
          + ", listeners=" + listeners.size() + "]";
    }

    /**
     * Gate settings; each setter checks its range and names itself, {@link #build()} checks the rest.
     * Defaults: close after 10 transient failures in a row; first probe after 100 ms, then jittered
     * exponential backoff (doubling, each wait between half and all of it) up to 1 s; requests wait.
     */
    public static final class Builder {
      private static final String COMPONENT = "outage gate";

      private int failuresToClose = 10;
      private Duration probeInitialDelay = Duration.ofMillis(100);
      private Duration probeMaxDelay = Duration.ofSeconds(1);
      private WhenClosed whenClosed = WhenClosed.WAIT;
      private final List<GateListener> listeners = new ArrayList<>();

      private Builder() {}

      /**
       * Transient failures in a row that close the gate, ≥ 1. Large enough that a flaky but working
       * service does not close it by chance (at a failure rate {@code p}, a run of {@code n} comes
       * about once in {@code 1 / p^n} calls).
       */
      public Builder failuresToClose(int failuresToClose) {
        InvalidSettingException.check(failuresToClose >= 1, COMPONENT, "failuresToClose", "must be at least 1",
            failuresToClose);
        this.failuresToClose = failuresToClose;
        return this;
      }

      /** The wait before the first probe once the gate closes, ≥ 0. */
      public Builder probeInitialDelay(Duration probeInitialDelay) {
        Objects.requireNonNull(probeInitialDelay, "probeInitialDelay");
        InvalidSettingException.check(!probeInitialDelay.isNegative(), COMPONENT, "probeInitialDelay",
            "must not be negative", probeInitialDelay);
        this.probeInitialDelay = probeInitialDelay;
        return this;
      }

      /**
       * The longest wait between probes, > 0 and ≥ {@code probeInitialDelay} (checked at build): it bounds how late
       * a recovered endpoint is noticed.
       */
      public Builder probeMaxDelay(Duration probeMaxDelay) {
        Objects.requireNonNull(probeMaxDelay, "probeMaxDelay");
        InvalidSettingException.check(!probeMaxDelay.isNegative() && !probeMaxDelay.isZero(), COMPONENT,
            "probeMaxDelay", "must be positive", probeMaxDelay);
        this.probeMaxDelay = probeMaxDelay;
        return this;
      }

      /** Whether requests wait at a closed gate (the default) or fail at once; see {@link WhenClosed}. */
      public Builder whenClosed(WhenClosed whenClosed) {
        this.whenClosed = Objects.requireNonNull(whenClosed, "whenClosed");
        return this;
      }

      /** Adds a listener for the gate's events; in the order added. */
      public Builder listener(GateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
      }

      /** @throws InvalidSettingException naming the setting that breaks a rule between settings */
      public Settings build() {
        InvalidSettingException.check(probeMaxDelay.compareTo(probeInitialDelay) >= 0, COMPONENT, "probeMaxDelay",
            "must be >= probeInitialDelay (" + InvalidSettingException.show(probeInitialDelay) + ")", probeMaxDelay);
        return new Settings(this, true);
      }
    }
  }
}
