package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.gate.GateWait;
import dev.backoff4j.openai.gate.GateWaitEnded;
import dev.backoff4j.openai.gate.internal.Admission;
import dev.backoff4j.openai.gate.internal.DefaultOutageGate;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.spi.Futures;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The outage gate's place in the pipeline: inside the retry step, before the pacer, so every attempt
 * — first tries and scheduled retries — passes it, and its outcome is counted. An attempt waits
 * there while the gate is closed, within the time left before the call's deadline (the attempt's own
 * timeout starts later, at the attempt step); a blocking call blocks on the time source, a
 * non-blocking one holds no thread. A failed probe goes back to waiting when the call has a
 * deadline, so being picked to probe costs a request none of its attempts; the deadline is what ends
 * a wait, with the gate's account of the outage as the failure: the blocking path fails it here; on
 * the non-blocking path the retry engine cuts the attempt at the deadline (cancelling it, which takes
 * it out of the line) and the retry step reports the gate's account, kept in the call's
 * {@link CallScope}.
 */
public final class GateStep implements Interceptor {

  /** Without a deadline, a blocked caller checks its turn this often (a virtual clock needs steps). */
  private static final long UNBOUNDED_WAIT_STEP_NANOS = 1_000_000_000L;

  private final DefaultOutageGate gate;
  private final TimeSource time;
  private final Executor executor;

  /** @param executor where an asynchronous attempt continues once the gate lets it go */
  public GateStep(DefaultOutageGate gate, Executor executor) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.time = gate.timeSource();
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  public DefaultOutageGate gate() {
    return gate;
  }

  @Override
  public Response intercept(Chain chain) {
    Request request = chain.request();
    long start = time.nanoTime();
    Optional<Duration> limit = chain.timeout();
    CallScope scope = request.tag(CallScope.class).orElse(null);
    Admission admission = gate.enter(executor, false);
    boolean told = false;
    long waitStart = -1;
    long letThroughAt = -1;
    boolean sent = false;
    try {
      while (true) {
        if (!admission.turn().isDone()) {
          if (waitStart < 0) {
            waitStart = time.nanoTime();
          }
          if (!told) {
            told = true;
            tell(scope, limit, start);
          }
          markWaiting(scope, waitStart);
          awaitTurn(admission, start, limit, waitStart);
        }
        passed(scope);
        if (waitStart >= 0) {
          letThroughAt = time.nanoTime();
        }
        refusal(admission);
        Optional<Duration> left = left(start, limit);
        if (left.isPresent() && left.get().isZero()) {
          gate.leave(admission);
          throw gate.deadlinePassed(Duration.ofNanos(time.nanoTime() - Math.max(waitStart, start)), null);
        }
        Response response;
        sent = true;
        try {
          response = chain.withTimeout(left).proceed(request);
        } catch (RuntimeException e) {
          Admission again = gate.complete(admission, e, limit.isPresent());
          if (again == null) {
            throw e;
          }
          sent = false; // a failed probe, back in line
          admission = again;
          continue;
        }
        gate.complete(admission, null, false);
        return response;
      }
    } finally {
      if (told) {
        tellEnded(scope, (sent ? letThroughAt : time.nanoTime()) - waitStart, sent);
      }
    }
  }

  /** Blocks until the gate lets {@code admission} go; at the deadline or on an interrupt leaves the line and throws. */
  private void awaitTurn(Admission admission, long start, Optional<Duration> limit, long waitStart) {
    try {
      while (!admission.turn().isDone()) {
        long step = UNBOUNDED_WAIT_STEP_NANOS;
        if (limit.isPresent()) {
          step = limit.get().toNanos() - (time.nanoTime() - start);
          if (step <= 0) {
            gate.leave(admission);
            throw gate.deadlinePassed(Duration.ofNanos(time.nanoTime() - waitStart), null);
          }
        }
        time.await(admission.turn(), step);
      }
    } catch (InterruptedException e) {
      gate.leave(admission);
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting at the outage gate");
    }
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    Pass pass = new Pass(chain);
    pass.result.whenComplete((response, failure) -> {
      if (pass.result.isCancelled()) {
        pass.cancel();
      }
      pass.waitEnded(); // a no-op unless cancelled: each completion below tells it first
    });
    pass.await(gate.enter(executor, false));
    return pass.result;
  }

  /**
   * One non-blocking attempt's way through the gate: waiting (again, after a failed probe), then
   * sending. Its lock only decides; the gate is called, and futures completed, after unlocking.
   */
  private final class Pass {
    final Chain chain;
    final Request request;
    final CallScope scope;
    final long start = time.nanoTime();
    final Optional<Duration> limit;
    final CompletableFuture<Response> result = new CompletableFuture<>();
    private Admission admission;
    private boolean told;
    private boolean toldEnded;
    private long waitStart = -1;
    private long letThroughAt = -1;
    private boolean sent;
    private CompletableFuture<Response> sending;

    Pass(Chain chain) {
      this.chain = chain;
      this.request = chain.request();
      this.scope = request.tag(CallScope.class).orElse(null);
      this.limit = chain.timeout();
    }

    void await(Admission next) {
      boolean tell = false;
      boolean abandoned;
      synchronized (this) {
        abandoned = result.isDone();
        if (!abandoned) {
          admission = next;
          sent = false;
          if (!next.turn().isDone()) {
            if (waitStart < 0) {
              waitStart = time.nanoTime();
            }
            tell = !told;
            told = true;
            markWaiting(scope, waitStart);
          }
        }
      }
      if (abandoned) {
        gate.leave(next);
        return;
      }
      if (tell) {
        tell(scope, limit, start);
      }
      next.turn().whenComplete((ignored, refused) -> go(next));
    }

    private void go(Admission turn) {
      Optional<Duration> left = left(start, limit);
      boolean stale;
      boolean expired = false;
      synchronized (this) {
        stale = result.isDone() || turn != admission;
        if (!stale) {
          passed(scope);
          expired = left.isPresent() && left.get().isZero();
          if (waitStart >= 0) {
            letThroughAt = time.nanoTime();
          }
          sent = !expired && !turn.turn().isCompletedExceptionally();
        }
      }
      if (stale) {
        gate.leave(turn);
        return;
      }
      if (turn.turn().isCompletedExceptionally()) {
        waitEnded();
        result.completeExceptionally(Futures.unwrap(turn.turn().handle((v, e) -> e).join()));
        return;
      }
      if (expired) {
        expire(turn);
        return;
      }
      CompletableFuture<Response> attempt;
      try {
        attempt = chain.withTimeout(left).proceedAsync(request);
      } catch (RuntimeException e) {
        attempt = CompletableFuture.failedFuture(e);
      }
      synchronized (this) {
        sending = attempt;
      }
      if (result.isDone()) {
        attempt.cancel(true);
      }
      attempt.whenComplete((response, failure) -> {
        Throwable cause = Futures.unwrap(failure);
        Admission again = gate.complete(turn, cause, limit.isPresent() && !result.isDone());
        if (again != null) {
          await(again);
          return;
        }
        waitEnded();
        if (cause == null) {
          if (!result.complete(response)) {
            response.close(); // cancelled meanwhile: nobody will read it
          }
        } else {
          result.completeExceptionally(cause instanceof RuntimeException ? cause : new CompletionException(cause));
        }
      });
    }

    /** The deadline passed before the attempt was sent. */
    private void expire(Admission turn) {
      gate.leave(turn);
      long since;
      synchronized (this) {
        since = Math.max(waitStart, start);
      }
      waitEnded();
      result.completeExceptionally(gate.deadlinePassed(Duration.ofNanos(time.nanoTime() - since), null));
    }

    /** Tells the call's listener, once, that this attempt's wait is over: before its result completes. */
    void waitEnded() {
      long waited;
      boolean through;
      synchronized (this) {
        if (!told || toldEnded) {
          return;
        }
        toldEnded = true;
        through = sent;
        waited = (through ? letThroughAt : time.nanoTime()) - waitStart;
      }
      tellEnded(scope, waited, through);
    }

    /**
     * The caller cancelled, or the engine cut the attempt at the deadline (it then reports the wait
     * through the call's {@link CallScope}): leave the line, or stop the exchange.
     */
    void cancel() {
      Admission current;
      CompletableFuture<Response> inFlight;
      synchronized (this) {
        current = admission;
        inFlight = sending;
      }
      if (current != null) {
        gate.leave(current);
      }
      if (inFlight != null) {
        inFlight.cancel(true);
      }
    }
  }

  private Optional<Duration> left(long start, Optional<Duration> limit) {
    return limit.map(total -> {
      Duration left = total.minusNanos(time.nanoTime() - start);
      return left.isNegative() ? Duration.ZERO : left;
    });
  }

  private void tell(CallScope scope, Optional<Duration> limit, long start) {
    if (scope == null || scope.listener() == CallListener.NONE) {
      return;
    }
    GateWait event = gate.describeWait(left(start, limit));
    try {
      scope.listener().onGateWait(event);
    } catch (RuntimeException ignored) {
      // observing a call must never change it
    }
  }

  private static void tellEnded(CallScope scope, long waitedNanos, boolean letThrough) {
    if (scope == null || scope.listener() == CallListener.NONE) {
      return;
    }
    try {
      scope.listener().onGateWaitEnded(new GateWaitEnded(Duration.ofNanos(Math.max(0, waitedNanos)), letThrough));
    } catch (RuntimeException ignored) {
      // observing a call must never change it
    }
  }

  private void markWaiting(CallScope scope, long since) {
    if (scope != null) {
      scope.waiting(gate, since);
    }
  }

  private static void passed(CallScope scope) {
    if (scope != null) {
      scope.passed();
    }
  }

  private static void refusal(Admission admission) {
    if (admission.turn().isCompletedExceptionally()) {
      Throwable refused = admission.turn().handle((v, e) -> e).join();
      throw Futures.unwrap(refused) instanceof RuntimeException runtime ? runtime
          : new CompletionException(refused);
    }
  }

  @Override
  public String toString() {
    return "GateStep[" + gate + "]";
  }
}
