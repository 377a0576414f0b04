package dev.backoff4j.openai.headers;

import java.time.Duration;
import java.util.Objects;

/**
 * A server's suggestion of how long to wait before retrying.
 *
 * @param delay the suggested wait, positive
 * @param source where it came from, as shown in retry logs: {@code retry-after-ms},
 *     {@code x-ms-retry-after-ms}, {@code retry-after}, {@code retry-after-date} or {@code message}
 */
public record ServerHint(Duration delay, String source) {

  public ServerHint {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(source, "source");
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("hint delay must be positive, was " + delay);
    }
  }
}
