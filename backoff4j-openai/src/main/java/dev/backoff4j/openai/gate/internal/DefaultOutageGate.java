package dev.backoff4j.openai.gate.internal;

import dev.backoff4j.openai.gate.GateClosed;
import dev.backoff4j.openai.gate.GateListener;
import dev.backoff4j.openai.gate.GateOpened;
import dev.backoff4j.openai.gate.GateRecovered;
import dev.backoff4j.openai.gate.GateState;
import dev.backoff4j.openai.gate.GateStats;
import dev.backoff4j.openai.gate.GateWait;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.gate.OutageGateClosedException;
import dev.backoff4j.openai.gate.OutageGateTimeoutException;
import dev.backoff4j.openai.gate.ProbeFailed;
import dev.backoff4j.openai.gate.ProbeSent;
import dev.backoff4j.openai.gate.WhenClosed;
import dev.backoff4j.time.ScheduledTask;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The gate {@link OutageGate.Settings#newGate} makes; see {@link OutageGate} for the rules. The
 * pipeline's gate step drives it: {@link #enter} before each attempt, then {@link #complete} with the
 * attempt's outcome, or {@link #leave} when the attempt is abandoned before it was sent.
 *
 * <p>One lock guards the state and is never held while anyone waits, a listener runs or a waiting
 * attempt is let go (those happen after unlocking). Through an open gate with no failure run, an
 * attempt costs two volatile reads and allocates nothing.
 */
public final class DefaultOutageGate implements OutageGate {

  private static final int MAX_WINDOW = 1 << 20;

  private final Settings settings;
  private final TimeSource time;
  private final List<GateListener> listeners;

  private volatile GateState state = GateState.OPEN;
  private volatile int consecutiveFailures;

  // Guarded by this.
  private long failingSinceNanos;
  private Instant failingSince;
  private Throwable lastFailure;
  private Instant outageSince;
  private long outageSinceNanos;
  private Admission head;
  private Admission tail;
  private int waiting;
  private boolean probeInFlight;
  private int probesThisOutage;
  private int failedProbesThisOutage;
  private long probeDueNanos;
  private ScheduledTask probeTimer;
  private long openedAtNanos;
  private long windowId;
  private int window;
  private int inWindow;
  private long closings;
  private long probes;
  private long failedProbes;
  private long succeededProbes;

  public DefaultOutageGate(Settings settings, TimeSource time) {
    this.settings = settings;
    this.time = time;
    this.listeners = settings.listeners();
  }

  public Settings settings() {
    return settings;
  }

  public TimeSource timeSource() {
    return time;
  }

  /**
   * An attempt arrives. Through an open gate, or when let through at once (the next probe, a free
   * place in the slow start), its {@link Admission#turn()} is already complete; else it waits in
   * line (at the head when {@code again}: a failed probe going back) until the gate lets it go on
   * {@code executor}.
   */
  public Admission enter(Executor executor, boolean again) {
    if (state == GateState.OPEN) {
      return Admission.OPEN;
    }
    Effects effects = new Effects();
    Admission admission;
    synchronized (this) {
      long now = time.nanoTime();
      if (state == GateState.OPEN) {
        return Admission.OPEN;
      }
      admission = new Admission(executor, now, Admission.Stage.QUEUED);
      if (state == GateState.CLOSED && settings.whenClosed() == WhenClosed.FAIL
          && !(waiting == 0 && !probeInFlight && now >= probeDueNanos)) {
        admission.stage = Admission.Stage.DONE;
        admission.turn.completeExceptionally(new OutageGateClosedException(outageSince,
            Duration.ofNanos(now - outageSinceNanos), Signals.describe(lastFailure)));
        return admission;
      }
      if (again) {
        pushHead(admission);
      } else {
        pushTail(admission);
      }
      letThrough(now, effects);
    }
    effects.run(admission);
    return admission;
  }

  /**
   * The attempt was abandoned before it was sent: cancelled or out of time while waiting, or let
   * through but no longer wanted. Its place (in line, as the probe, in the slow start) goes to the
   * next.
   *
   * @return whether it was still waiting in line
   */
  public boolean leave(Admission admission) {
    if (admission == Admission.OPEN) {
      return false;
    }
    Effects effects = new Effects();
    boolean wasWaiting;
    synchronized (this) {
      wasWaiting = admission.stage == Admission.Stage.QUEUED;
      if (wasWaiting) {
        unlink(admission);
        admission.stage = Admission.Stage.DONE;
      } else if (admission.stage == Admission.Stage.ADMITTED) {
        admission.stage = Admission.Stage.DONE;
        freePlace(admission);
        letThrough(time.nanoTime(), effects);
      }
    }
    effects.run(null);
    return wasWaiting;
  }

  /**
   * The attempt's outcome; {@code failure} is {@code null} for a success. Counts the failure run,
   * closes, opens and moves the slow start on.
   *
   * @param mayWaitAgain whether a failed probe may go back to waiting (the call has a deadline)
   * @return a new admission, queued at the head, when the attempt was a failed probe of a gate that
   *     makes requests wait: the caller waits on it instead of passing the failure on; else
   *     {@code null}
   */
  public Admission complete(Admission admission, Throwable failure, boolean mayWaitAgain) {
    Signals signal = Signals.of(failure);
    if (admission == Admission.OPEN && state == GateState.OPEN && signal == Signals.ALIVE
        && consecutiveFailures == 0) {
      return null; // the common case: nothing to count
    }
    Effects effects = new Effects();
    Admission again = null;
    synchronized (this) {
      long now = time.nanoTime();
      if (admission != Admission.OPEN) {
        if (admission.stage != Admission.Stage.ADMITTED) {
          return null; // abandoned meanwhile: already settled
        }
        admission.stage = Admission.Stage.DONE;
        freePlace(admission);
      }
      switch (signal) {
        case ALIVE -> {
          if (admission.probe) {
            succeededProbes++;
          }
          alive(now, effects);
        }
        case FAILED -> {
          boolean goesBack = mayWaitAgain && settings.whenClosed() == WhenClosed.WAIT;
          if (failed(admission, failure, now, goesBack, effects) && goesBack) {
            again = new Admission(admission.executor, now, Admission.Stage.QUEUED);
            pushHead(again);
          }
        }
        case NEUTRAL -> { }
      }
      letThrough(now, effects);
    }
    effects.run(null);
    return again;
  }

  private void alive(long now, Effects effects) {
    consecutiveFailures = 0;
    lastFailure = null;
    if (state == GateState.CLOSED) {
      state = GateState.RECOVERING;
      cancelProbeTimer();
      openedAtNanos = now;
      windowId++;
      window = 2; // the probe was the first round trip, with 1 in flight
      inWindow = 0;
      GateOpened event = new GateOpened(Duration.ofNanos(now - outageSinceNanos), probesThisOutage, waiting);
      effects.event(listener -> listener.onOpened(event));
    } else if (state == GateState.RECOVERING && window < MAX_WINDOW) {
      window++; // one more per success: the window doubles each round trip
    }
  }

  /** @return whether this was a failed probe of a closed gate */
  private boolean failed(Admission admission, Throwable failure, long now, boolean goesBack, Effects effects) {
    if (consecutiveFailures == 0) {
      failingSinceNanos = now;
      failingSince = time.now();
    }
    consecutiveFailures = consecutiveFailures == Integer.MAX_VALUE ? Integer.MAX_VALUE : consecutiveFailures + 1;
    lastFailure = failure;
    if (state != GateState.CLOSED) {
      if (consecutiveFailures >= settings.failuresToClose()) {
        close(now, effects);
      }
      return false;
    }
    if (!admission.probe) {
      return false; // sent before the gate closed: an ordinary failure for the retry policy
    }
    failedProbes++;
    failedProbesThisOutage++;
    long delay = scheduleProbe(now, failedProbesThisOutage + 1);
    ProbeFailed event = new ProbeFailed(probesThisOutage, failure, Duration.ofNanos(delay), waiting + (goesBack ? 1 : 0));
    effects.event(listener -> listener.onProbeFailed(event));
    return true;
  }

  private void close(long now, Effects effects) {
    state = GateState.CLOSED;
    closings++;
    windowId++; // attempts let through by the slow start no longer hold a place
    window = 0;
    inWindow = 0;
    outageSince = failingSince;
    outageSinceNanos = failingSinceNanos;
    probesThisOutage = 0;
    failedProbesThisOutage = 0;
    probeInFlight = false;
    scheduleProbe(now, 1);
    GateClosed event = new GateClosed(failingSince, consecutiveFailures, lastFailure, waiting);
    effects.event(listener -> listener.onClosed(event));
  }

  /** Schedules the {@code probe}-th probe after a jittered exponential delay; returns the delay. */
  private long scheduleProbe(long now, int probe) {
    long initial = settings.probeInitialDelay().toNanos();
    long max = settings.probeMaxDelay().toNanos();
    double base = Math.min(max, initial * Math.pow(2, Math.min(probe - 1, 62)));
    long delay = (long) (base / 2 + ThreadLocalRandom.current().nextDouble() * base / 2);
    probeDueNanos = now + delay;
    cancelProbeTimer();
    probeTimer = time.schedule(delay, this::onProbeDue);
    return delay;
  }

  private void cancelProbeTimer() {
    if (probeTimer != null) {
      probeTimer.cancel();
      probeTimer = null;
    }
  }

  private void onProbeDue() {
    Effects effects = new Effects();
    synchronized (this) {
      probeTimer = null;
      letThrough(time.nanoTime(), effects);
    }
    effects.run(null);
  }

  /** Gives back the place an admitted attempt held (the probe's, or one in the slow-start window). */
  private void freePlace(Admission admission) {
    if (admission.probe) {
      probeInFlight = false;
    }
    if (admission.window == windowId && inWindow > 0) {
      inWindow--;
    }
  }

  /** Lets through whoever may go now: the next probe when due, or the slow start's free places. */
  private void letThrough(long now, Effects effects) {
    if (state == GateState.CLOSED) {
      if (!probeInFlight && head != null && now >= probeDueNanos) {
        Admission probe = popHead();
        probe.stage = Admission.Stage.ADMITTED;
        probe.probe = true;
        probeInFlight = true;
        probesThisOutage++;
        probes++;
        effects.release(probe);
        ProbeSent event = new ProbeSent(probesThisOutage, Duration.ofNanos(now - outageSinceNanos), waiting);
        effects.event(listener -> listener.onProbeSent(event));
      }
      return;
    }
    if (state == GateState.RECOVERING) {
      while (head != null && inWindow < window) {
        Admission next = popHead();
        next.stage = Admission.Stage.ADMITTED;
        next.window = windowId;
        inWindow++;
        effects.release(next);
      }
      if (head == null) {
        state = GateState.OPEN;
        outageSince = null;
        GateRecovered event = new GateRecovered(Duration.ofNanos(now - openedAtNanos), window);
        effects.event(listener -> listener.onRecovered(event));
      }
    }
  }

  // ---- the line: a doubly linked list, so leaving it is O(1) however many wait ----

  private void pushTail(Admission admission) {
    admission.previous = tail;
    admission.next = null;
    if (tail == null) {
      head = admission;
    } else {
      tail.next = admission;
    }
    tail = admission;
    waiting++;
  }

  private void pushHead(Admission admission) {
    admission.next = head;
    admission.previous = null;
    if (head == null) {
      tail = admission;
    } else {
      head.previous = admission;
    }
    head = admission;
    waiting++;
  }

  private Admission popHead() {
    Admission first = head;
    unlink(first);
    return first;
  }

  private void unlink(Admission admission) {
    if (admission.previous == null) {
      head = admission.next;
    } else {
      admission.previous.next = admission.next;
    }
    if (admission.next == null) {
      tail = admission.previous;
    } else {
      admission.next.previous = admission.previous;
    }
    admission.previous = null;
    admission.next = null;
    waiting--;
  }

  // ---- what the step reports ----

  /** What a call waiting at the gate is told, for its {@code CallListener.onGateWait}. */
  public synchronized GateWait describeWait(Optional<Duration> timeLeft) {
    if (outageSince == null) {
      return new GateWait(state, time.now(), Duration.ZERO, waiting, timeLeft);
    }
    return new GateWait(state, outageSince, Duration.ofNanos(time.nanoTime() - outageSinceNanos), waiting, timeLeft);
  }

  /** The failure of a call whose deadline passed after waiting {@code waited} at the gate. */
  public synchronized OutageGateTimeoutException deadlinePassed(Duration waited, Throwable cause) {
    if (outageSince == null || state != GateState.CLOSED) {
      return new OutageGateTimeoutException(null, null, waited, failedProbesThisOutage, null, cause);
    }
    return new OutageGateTimeoutException(outageSince, Duration.ofNanos(time.nanoTime() - outageSinceNanos), waited,
        failedProbesThisOutage, Signals.describe(lastFailure), cause);
  }

  @Override
  public synchronized GateStats stats() {
    return new GateStats(state, waiting, Optional.ofNullable(state == GateState.OPEN ? null : outageSince),
        consecutiveFailures, closings, probes, failedProbes, succeededProbes, state == GateState.RECOVERING ? window : 0,
        Optional.ofNullable(consecutiveFailures > 0 ? Signals.describe(lastFailure) : null));
  }

  @Override
  public String toString() {
    GateStats stats = stats();
    return "OutageGate[" + stats.state() + ", waiting " + stats.waiting() + ", " + settings + "]";
  }

  /** What to do once the lock is released: let attempts go, then tell listeners. */
  private final class Effects {
    private List<Admission> released;
    private List<Consumer<GateListener>> events;

    void release(Admission admission) {
      if (released == null) {
        released = new ArrayList<>();
      }
      released.add(admission);
    }

    void event(Consumer<GateListener> call) {
      if (listeners.isEmpty()) {
        return;
      }
      if (events == null) {
        events = new ArrayList<>();
      }
      events.add(call);
    }

    /** @param caller an attempt let through by its own arrival: it goes on inline, without a hop */
    void run(Admission caller) {
      if (events != null) {
        for (Consumer<GateListener> call : events) {
          for (GateListener listener : listeners) {
            try {
              call.accept(listener);
            } catch (RuntimeException ignored) {
              // observing the gate must never change it
            }
          }
        }
      }
      if (released != null) {
        for (Admission admission : released) {
          if (admission == caller) {
            admission.turn.complete(null);
          } else {
            admission.release();
          }
        }
      }
    }
  }
}
