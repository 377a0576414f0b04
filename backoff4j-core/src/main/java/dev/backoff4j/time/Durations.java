package dev.backoff4j.time;

import java.time.Duration;
import java.util.Locale;

/** Formats durations the way people write them, for logs and messages: {@code 850ms}, {@code 1.03s}, {@code 2m5s}. */
public final class Durations {

  private Durations() {}

  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1_000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.2fs", millis / 1000.0);
    }
    long seconds = duration.toSeconds();
    if (seconds < 3_600) {
      return (seconds / 60) + "m" + (seconds % 60) + "s";
    }
    return (seconds / 3_600) + "h" + (seconds % 3_600 / 60) + "m";
  }
}
