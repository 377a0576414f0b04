package dev.backoff4j.mock;

import java.time.Duration;
import java.util.Objects;

/**
 * A period during which every API request fails with {@code status}, measured from the moment the
 * scenario was installed (server start, {@code POST /_mock/scenario} or a reset).
 *
 * @param start offset from the scenario's installation
 * @param length how long the outage lasts; positive
 * @param status the status every request gets, 500..599
 */
public record OutageWindow(Duration start, Duration length, int status) {
  /** Validates signs and status. */
  public OutageWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(length, "length");
    if (start.isNegative()) {
      throw new IllegalArgumentException("outage start must not be negative, was " + start);
    }
    if (length.isZero() || length.isNegative()) {
      throw new IllegalArgumentException("outage length must be positive, was " + length);
    }
    if (status < 500 || status > 599) {
      throw new IllegalArgumentException("outage status must be 500..599, was " + status);
    }
  }

  /** A 503 outage. */
  public static OutageWindow of(Duration start, Duration length) {
    return new OutageWindow(start, length, 503);
  }
}
