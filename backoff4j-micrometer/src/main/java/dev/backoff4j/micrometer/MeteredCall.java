package dev.backoff4j.micrometer;

import dev.backoff4j.openai.gate.GateWait;
import dev.backoff4j.openai.gate.GateWaitEnded;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.retry.AttemptRecord;
import dev.backoff4j.retry.event.GaveUp;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.retry.event.Succeeded;
import dev.backoff4j.time.Durations;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.Locale;

/**
 * One call's listener: counts its attempts, times its waits and the call, and runs its observation.
 * The pipeline calls it from whichever thread runs the call, one event at a time.
 */
final class MeteredCall implements CallListener {

  private final Backoff4jMetrics metrics;
  private final CallObservationContext context;
  private Observation observation = Observation.NOOP;

  MeteredCall(Backoff4jMetrics metrics, Request request) {
    this.metrics = metrics;
    this.context = new CallObservationContext(request.method(), Operations.of(request.url()), request.streaming());
  }

  @Override
  public void onCallStarted(Request request) {
    if (!metrics.observations().isNoop()) {
      // The current observation (the caller's span, Spring AI's chat observation) becomes the parent.
      observation = Observation.createNotStarted(metrics.convention(), DefaultCallObservationConvention.INSTANCE,
          () -> context, metrics.observations()).start();
    }
  }

  @Override
  public void onAttemptFinished(AttemptRecord attempt) {
    String status = Operations.status(attempt);
    context.attemptEnded(status);
    metrics.attempt(context.operation(), status);
    observation.event(Observation.Event.of("backoff4j.attempt", "attempt " + attempt.attempt() + ": " + status));
  }

  @Override
  public void onGateWait(GateWait event) {
    observation.event(Observation.Event.of("backoff4j.gate", "waiting at the outage gate (" + event.state()
        .name().toLowerCase(Locale.ROOT) + " for " + Durations.format(event.failingFor()) + ", " + event.waiting()
        + " waiting)"));
  }

  @Override
  public void onGateWaitEnded(GateWaitEnded event) {
    metrics.recordWait("gate", event.waited());
    observation.event(Observation.Event.of("backoff4j.gate.end", (event.letThrough() ? "let through" : "left unsent")
        + " after " + Durations.format(event.waited()) + " at the outage gate"));
  }

  @Override
  public void onRetryScheduled(RetryScheduled event) {
    metrics.recordWait(waitSource(event.delaySource()), event.delay());
    observation.event(Observation.Event.of("backoff4j.retry",
        "retry in " + Durations.format(event.delay()) + " (" + event.delaySource() + ")"));
  }

  /**
   * {@code backoff}, {@code budget}, or {@code hint} for any server hint ({@code retry-after-ms},
   * {@code retry-after}, ...), a repeated rate limit's {@code retry-after-ms+backoff} included.
   */
  static String waitSource(String delaySource) {
    if (RetryScheduled.BACKOFF.equals(delaySource)) {
      return "backoff";
    }
    return RetryScheduled.BUDGET.equals(delaySource) ? "budget" : "hint";
  }

  @Override
  public void onSuccess(Succeeded event) {
    end("success", "none", null, event.elapsed());
  }

  @Override
  public void onGiveUp(GaveUp event) {
    end("failure", event.reason().name().toLowerCase(Locale.ROOT), event.failure(), event.history().elapsed());
  }

  private void end(String outcome, String reason, Throwable failure, Duration elapsed) {
    String exception = failure == null ? "none" : failure.getClass().getSimpleName();
    context.ended(outcome, reason, exception);
    try {
      metrics.call(context.operation(), outcome, reason, exception, elapsed);
      metrics.refreshPacers();
    } finally {
      if (failure != null) {
        observation.error(failure);
      }
      observation.stop();
    }
  }

  @Override
  public String toString() {
    return "MeteredCall[" + context.operation() + "]";
  }
}
