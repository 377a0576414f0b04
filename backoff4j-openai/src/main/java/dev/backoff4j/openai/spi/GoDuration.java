package dev.backoff4j.openai.spi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;

/**
 * Formats and parses durations in the style of Go's {@code time.Duration.String()}, which OpenAI
 * uses in {@code x-ratelimit-reset-*} headers: {@code 1s}, {@code 6m0s}, {@code 12ms}, {@code 1.5s},
 * {@code 1h2m3.5s}.
 */
public final class GoDuration {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private GoDuration() {}

  /**
   * Formats like Go: zero is {@code 0s}; below one second a single unit ({@code 12ms}, {@code 1.5µs},
   * {@code 7ns}); otherwise hours, minutes and seconds, where the minutes and seconds are always
   * present once a larger unit is ({@code 6m0s}, {@code 1h0m0s}) and the seconds carry a fraction
   * without trailing zeros ({@code 1.5s}). Negative durations get a leading minus sign.
   *
   * @throws NullPointerException if {@code duration} is null
   */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (seconds == 0) {
      if (nanos < 1_000) {
        return nanos + "ns";
      }
      if (nanos < 1_000_000) {
        return decimal(nanos, 1_000) + "µs";
      }
      return decimal(nanos, 1_000_000) + "ms";
    }
    StringBuilder out = new StringBuilder();
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    long secs = seconds % 60;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(decimal(secs * NANOS_PER_SECOND + nanos, NANOS_PER_SECOND)).append('s');
    return out.toString();
  }

  /**
   * Parses a duration a person wrote for {@code setting} ({@code 500ms}, {@code 1.5s}, {@code 2m}).
   *
   * @throws IllegalArgumentException naming {@code setting} when {@link #parse} finds no duration
   */
  public static Duration require(String setting, String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException(
        setting + ": '" + text + "' is not a duration like 500ms, 1.5s or 2m"));
  }

  /**
   * Parses a Go-style duration: one or more {@code <number><unit>} parts with units {@code h},
   * {@code m}, {@code s}, {@code ms}, {@code us}/{@code µs}, {@code ns}, for example
   * {@code 1h2m3.5s}, {@code 250ms} or {@code 0.5s}. A bare {@code 0} is zero. Surrounding
   * whitespace is ignored.
   *
   * @return empty for null, blank, negative values (OpenAI sends {@code -1} for "unknown"), or
   *     anything malformed; never throws
   */
  public static Optional<Duration> parse(CharSequence text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.toString().trim();
    if (s.isEmpty() || s.startsWith("-")) {
      return Optional.empty();
    }
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    BigDecimal totalNanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (i == numberStart || i == s.length()) {
        return Optional.empty();
      }
      BigDecimal number;
      try {
        number = new BigDecimal(s.substring(numberStart, i));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      Long unitNanos = unitNanos(s.substring(unitStart, i));
      if (unitNanos == null) {
        return Optional.empty();
      }
      totalNanos = totalNanos.add(number.multiply(BigDecimal.valueOf(unitNanos)));
    }
    try {
      long nanos = totalNanos.setScale(0, RoundingMode.HALF_UP).longValueExact();
      return Optional.of(Duration.ofNanos(nanos));
    } catch (ArithmeticException overflow) {
      return Optional.empty();
    }
  }

  private static Long unitNanos(String unit) {
    switch (unit) {
      case "h":
        return 3600 * NANOS_PER_SECOND;
      case "m":
        return 60 * NANOS_PER_SECOND;
      case "s":
        return NANOS_PER_SECOND;
      case "ms":
        return 1_000_000L;
      case "us":
      case "µs":
      case "μs": // Greek mu, which Go also accepts
        return 1_000L;
      case "ns":
        return 1L;
      default:
        return null;
    }
  }

  /** {@code value / unit} as a decimal without trailing zeros: 1500/1000 → "1.5", 2000/1000 → "2". */
  private static String decimal(long value, long unit) {
    return BigDecimal.valueOf(value)
        .divide(BigDecimal.valueOf(unit))
        .stripTrailingZeros()
        .toPlainString();
  }
}
