package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.gate.GateWait;
import dev.backoff4j.openai.gate.GateWaitEnded;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.retry.AttemptRecord;
import dev.backoff4j.retry.event.AttemptStarted;
import dev.backoff4j.retry.event.GaveUp;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.retry.event.Succeeded;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Combines call listeners; each is called in turn, and what one throws is ignored. */
public final class Listeners {

  private Listeners() {}

  /** A factory making, for each call, every factory's listener in order. */
  public static CallListener.Factory allOf(List<CallListener.Factory> factories) {
    List<CallListener.Factory> copy = List.copyOf(factories);
    if (copy.isEmpty()) {
      return request -> CallListener.NONE;
    }
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return request -> {
      List<CallListener> made = new ArrayList<>(copy.size());
      for (CallListener.Factory factory : copy) {
        try {
          CallListener listener = factory.create(request);
          if (listener != null && listener != CallListener.NONE) {
            made.add(listener);
          }
        } catch (RuntimeException ignored) {
          // a broken factory must not fail the call
        }
      }
      return made.isEmpty() ? CallListener.NONE : made.size() == 1 ? made.get(0) : new Composite(made);
    };
  }

  /** {@code first} then {@code second}, skipping {@link CallListener#NONE}. */
  public static CallListener both(CallListener first, CallListener second) {
    if (second == CallListener.NONE) {
      return first;
    }
    if (first == CallListener.NONE) {
      return second;
    }
    return new Composite(List.of(first, second));
  }

  private record Composite(List<CallListener> listeners) implements CallListener {

    private void each(Consumer<CallListener> call) {
      for (CallListener listener : listeners) {
        try {
          call.accept(listener);
        } catch (RuntimeException ignored) {
          // observing a call must never change it
        }
      }
    }

    @Override
    public void onCallStarted(Request request) {
      each(listener -> listener.onCallStarted(request));
    }

    @Override
    public void onGateWait(GateWait event) {
      each(listener -> listener.onGateWait(event));
    }

    @Override
    public void onGateWaitEnded(GateWaitEnded event) {
      each(listener -> listener.onGateWaitEnded(event));
    }

    @Override
    public void onAttemptStarted(AttemptStarted event) {
      each(listener -> listener.onAttemptStarted(event));
    }

    @Override
    public void onAttemptFinished(AttemptRecord attempt) {
      each(listener -> listener.onAttemptFinished(attempt));
    }

    @Override
    public void onRetryScheduled(RetryScheduled event) {
      each(listener -> listener.onRetryScheduled(event));
    }

    @Override
    public void onSuccess(Succeeded event) {
      each(listener -> listener.onSuccess(event));
    }

    @Override
    public void onGiveUp(GaveUp event) {
      each(listener -> listener.onGiveUp(event));
    }
  }
}
