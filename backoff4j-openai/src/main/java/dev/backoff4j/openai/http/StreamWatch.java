package dev.backoff4j.openai.http;

import dev.backoff4j.time.ScheduledTask;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The limits on a stream once it has started, and the clock that watches them; java.net.http has no
 * read timeout, so without them a stalled server would hold the reader forever:
 *
 * <ul>
 *   <li>the <b>idle timeout</b>: the longest the stream may go without a {@code data:} line. Comments
 *       ({@code : keep-alive}) and blank lines are not progress: a server that sends only those is
 *       silent.
 *   <li>the <b>deadline</b>: the caller's whole time for the call (the retry policy's
 *       {@code maxElapsed}), counted from when the call began, so it bounds the whole stream and not
 *       only the attempts that opened it.
 * </ul>
 *
 * Immutable.
 */
public final class StreamWatch {

  private final TimeSource time;
  private final Optional<Duration> idleTimeout;
  private final Optional<Duration> deadline;
  private final long deadlineNanos;

  /**
   * A watch with an idle timeout and no deadline.
   *
   * @param idleTimeout empty for no limit
   */
  public StreamWatch(TimeSource time, Optional<Duration> idleTimeout) {
    this(time, idleTimeout, Optional.empty(), 0);
  }

  private StreamWatch(TimeSource time, Optional<Duration> idleTimeout, Optional<Duration> deadline,
      long deadlineNanos) {
    this.time = Objects.requireNonNull(time, "time");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    this.deadline = deadline;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * This watch with a deadline {@code limit} from now (now being when the call begins); empty keeps
   * none.
   */
  public StreamWatch withDeadline(Optional<Duration> limit) {
    Objects.requireNonNull(limit, "limit");
    if (limit.isEmpty()) {
      return new StreamWatch(time, idleTimeout, Optional.empty(), 0);
    }
    return new StreamWatch(time, idleTimeout, limit, saturatedAdd(time.nanoTime(), limit.get().toNanos()));
  }

  public TimeSource time() {
    return time;
  }

  /** The longest the stream may go without a {@code data:} line; empty for no limit. */
  public Optional<Duration> idleTimeout() {
    return idleTimeout;
  }

  /** The caller's whole time for the call, as given; empty for none. */
  public Optional<Duration> deadline() {
    return deadline;
  }

  /** Time left before the deadline, zero once it has passed; empty without a deadline. */
  public Optional<Duration> timeLeft() {
    return deadline.map(ignored -> Duration.ofNanos(Math.max(0, deadlineNanos - time.nanoTime())));
  }

  /** Runs {@code onIdle} if {@link ScheduledTask#cancel()} is not called on the result within the idle timeout. */
  public ScheduledTask start(Runnable onIdle) {
    return idleTimeout.isEmpty() ? () -> { } : time.schedule(idleTimeout.get().toNanos(), onIdle);
  }

  /** Runs {@code onDeadline} when the deadline passes, unless cancelled first; nothing without a deadline. */
  public ScheduledTask atDeadline(Runnable onDeadline) {
    return timeLeft().<ScheduledTask>map(left -> time.schedule(left.toNanos(), onDeadline)).orElse(() -> { });
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  @Override
  public String toString() {
    return "StreamWatch[idle " + idleTimeout.map(Object::toString).orElse("unlimited") + ", deadline "
        + deadline.map(Object::toString).orElse("none") + "]";
  }
}
