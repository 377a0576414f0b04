package dev.backoff4j.mock;

import java.util.Locale;
import java.util.Objects;

/**
 * Restricts a {@link FaultScript} to requests that carry a header with an exact value.
 *
 * @param name header name, matched case-insensitively
 * @param value header value, matched exactly
 */
public record HeaderMatch(String name, String value) {
  /** Rejects blank names and null values. */
  public HeaderMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isBlank()) {
      throw new IllegalArgumentException("header match: name must not be blank");
    }
    name = name.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code Name: value} (the first colon separates them; the value is trimmed).
   *
   * @throws IllegalArgumentException if there is no colon or the name is blank
   */
  public static HeaderMatch parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "header match '" + text + "' must look like 'x-test-case: slow'");
    }
    return new HeaderMatch(text.substring(0, colon), text.substring(colon + 1).trim());
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }
}
