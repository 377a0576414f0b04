package dev.backoff4j.openai.http;

import dev.backoff4j.openai.gate.GateWait;
import dev.backoff4j.openai.gate.GateWaitEnded;
import dev.backoff4j.retry.event.RetryListener;

/**
 * Observes one call through a {@link dev.backoff4j.openai.OpenAiPipeline}: the retry events of that call (every
 * {@link RetryListener} method) plus its start. The shape of OkHttp's {@code EventListener}: a
 * {@link Factory} on the pipeline makes one listener per call, so a listener may keep per-call state
 * (a tracing span, a timer) in plain fields; a listener can also ride on a single request as its tag
 * ({@code request.withTag(CallListener.class, listener)}), which is how a batch run counts its own
 * retries on a client it did not build.
 *
 * <p>Listeners are called on the threads that run the call, must be fast and must not throw: what a
 * listener throws is ignored, so observing a call can never change its outcome.
 */
public interface CallListener extends RetryListener {

  /** The call entered the pipeline; nothing has been sent yet. */
  default void onCallStarted(Request request) {}

  /**
   * An attempt of this call started waiting at a closed outage gate (the endpoint is failing); once
   * per attempt, however often it goes back to waiting as a failed probe.
   */
  default void onGateWait(GateWait event) {}

  /**
   * The attempt told {@link #onGateWait} stopped waiting: let through (how long it waited is
   * {@link GateWaitEnded#waited()}), or out of the line unsent (deadline, cancellation). Once per
   * {@code onGateWait}, before the attempt's end is reported.
   */
  default void onGateWaitEnded(GateWaitEnded event) {}

  /** Makes the listener for each call. */
  @FunctionalInterface
  interface Factory {

    /** The listener for the call that starts with {@code request}; {@link CallListener#NONE} for none. */
    CallListener create(Request request);
  }

  /** A listener that does nothing. */
  CallListener NONE = new CallListener() {
    @Override
    public String toString() {
      return "CallListener.NONE";
    }
  };
}
