package dev.backoff4j.openai.http;

import dev.backoff4j.time.ScheduledTask;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The longest a stream may go without a line once it has started, and the clock that watches it. A
 * stalled server would otherwise hold the reader forever: java.net.http has no read timeout.
 *
 * @param idleTimeout empty for no limit
 */
public record StreamWatch(TimeSource time, Optional<Duration> idleTimeout) {

  public StreamWatch {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
  }

  /** Runs {@code onIdle} if {@link ScheduledTask#cancel()} is not called on the result within the limit. */
  public ScheduledTask start(Runnable onIdle) {
    return idleTimeout.isEmpty() ? () -> { } : time.schedule(idleTimeout.get().toNanos(), onIdle);
  }
}
