package dev.backoff4j.redis.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a call to the shared store came to: {@link Done} with a value, or {@link Unavailable} when
 * Redis could not be used. Store futures never complete exceptionally for a Redis problem and never
 * outlive the operation timeout, so a caller can always fall back to local pacing at once.
 */
public sealed interface StoreResult<T> permits StoreResult.Done, StoreResult.Unavailable {

  static <T> StoreResult<T> done(T value) {
    return new Done<>(value);
  }

  boolean isDone();

  /** The value. @throws IllegalStateException when unavailable */
  T value();

  <R> StoreResult<R> map(Function<? super T, ? extends R> mapper);

  /** Redis answered; {@code value} may be null for operations that return nothing. */
  record Done<T>(T value) implements StoreResult<T> {
    @Override
    public boolean isDone() {
      return true;
    }

    @Override
    public <R> StoreResult<R> map(Function<? super T, ? extends R> mapper) {
      return new Done<>(mapper.apply(value));
    }
  }

  /**
   * Redis could not be used. {@code elapsed} is how long the call took to find out (bounded by the
   * operation timeout); {@code detail} is a one-line description without credentials.
   */
  record Unavailable<T>(Why why, Duration elapsed, String detail, Throwable cause) implements StoreResult<T> {

    public Unavailable {
      Objects.requireNonNull(why, "why");
      Objects.requireNonNull(elapsed, "elapsed");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public boolean isDone() {
      return false;
    }

    @Override
    public T value() {
      throw new IllegalStateException("Redis unavailable (" + why + "): " + detail);
    }

    @Override
    public <R> StoreResult<R> map(Function<? super T, ? extends R> mapper) {
      return new Unavailable<>(why, elapsed, detail, cause);
    }

    @Override
    public String toString() {
      return "Unavailable[" + why + " after " + elapsed.toMillis() + " ms: " + detail + "]";
    }
  }

  /** Why Redis could not be used. */
  enum Why {
    /** No connection: never connected yet, refused, or reconnecting after a drop. */
    NOT_CONNECTED,
    /** The connection broke while the call was in flight. */
    CONNECTION_LOST,
    /** No answer within the operation timeout (a hung or overloaded server, a partition). */
    TIMEOUT,
    /** The server refuses writes for now: a replica, loading, or a cluster without a master. */
    FAILOVER,
    /** Anything else the store could not do (an unexpected error reply, a closed store). */
    ERROR
  }
}
