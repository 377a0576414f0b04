package dev.backoff4j.mock;

import dev.backoff4j.openai.spi.GoDuration;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One injected misbehaviour, identified by a short token such as {@code 503}, {@code reset} or
 * {@code sse-cut:2}.
 *
 * <p>Grammar: {@code 200} | {@code ok} | a status {@code 400..599} | {@code quota} |
 * {@code hint-ms[:MILLIS]} | {@code hint-s[:SECONDS]} | {@code hint-date[:SECONDS]} |
 * {@code hint-absurd} | {@code hint-negative} | {@code hint-garbage} | {@code retry:STATUS} |
 * {@code noretry:STATUS} | {@code latency:DUR} | {@code stall} | {@code reset} | {@code cut} |
 * {@code malformed} | {@code sse-cut[:K]} | {@code sse-error[:K]} | {@code sse-failed[:K]} |
 * {@code sse-rate-limit[:K]} | {@code html502} | {@code outage:DUR}. Durations are Go style:
 * {@code 500ms}, {@code 1.5s}, {@code 2m}. Tokens are case-insensitive. Every token applies to every
 * API endpoint alike; the {@code sse-*} ones act on streams and give other requests the cut or the
 * HTTP error they stand for.
 *
 * @param kind what happens
 * @param status the HTTP status sent, or 0 when none is ({@code reset}, {@code stall}); 200 for
 *     {@code cut}, {@code latency}, {@code malformed} and the {@code sse-*} kinds, whose requests
 *     that do not stream may get another (see {@link FaultKind})
 * @param amount the kind's number: milliseconds for {@code hint-ms}, seconds for {@code hint-s} and
 *     {@code hint-date}, events for the {@code sse-*} kinds; 0 otherwise
 * @param duration the kind's duration for {@code latency} and {@code outage}; zero otherwise
 */
public record Fault(FaultKind kind, int status, long amount, Duration duration) {

  /** Answers normally. */
  public static final Fault NONE = new Fault(FaultKind.NONE, 200, 0, Duration.ZERO);

  /** Validates the combination; {@link #parse(String)} is the friendlier way in. */
  public Fault {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("fault duration must not be negative: " + duration);
    }
    if (amount < 0) {
      throw new IllegalArgumentException("fault amount must not be negative: " + amount);
    }
  }

  /** An error response with the given status (400..599) and an OpenAI error body. */
  public static Fault status(int status) {
    return parse(Integer.toString(status));
  }

  /** A 429 whose only hint is {@code retry-after-ms}. */
  public static Fault retryAfterMs(long millis) {
    return new Fault(FaultKind.HINT_MS, 429, millis, Duration.ZERO);
  }

  /** A normal answer delayed by {@code latency}. */
  public static Fault latency(Duration latency) {
    return new Fault(FaultKind.LATENCY, 200, 0, latency);
  }

  /** Every request fails with 503 for {@code length}, starting with this one. */
  public static Fault outage(Duration length) {
    return new Fault(FaultKind.OUTAGE, 503, 0, length);
  }

  /** Streams {@code events} SSE events, then closes the connection. */
  public static Fault sseCut(int events) {
    return new Fault(FaultKind.SSE_CUT, 200, events, Duration.ZERO);
  }

  /**
   * Streams {@code events} SSE events, then fails the stream in-band as {@code kind} says
   * ({@link FaultKind#SSE_ERROR}, {@link FaultKind#SSE_FAILED} or {@link FaultKind#SSE_RATE_LIMIT}).
   */
  public static Fault sseFailure(FaultKind kind, int events) {
    if (kind != FaultKind.SSE_ERROR && kind != FaultKind.SSE_FAILED && kind != FaultKind.SSE_RATE_LIMIT) {
      throw new IllegalArgumentException(kind + " is not a stream failure");
    }
    return new Fault(kind, 200, events, Duration.ZERO);
  }

  /**
   * Parses one token (see the class documentation for the grammar).
   *
   * @throws IllegalArgumentException naming the token and what is wrong with it
   */
  public static Fault parse(String token) {
    Objects.requireNonNull(token, "token");
    String t = token.trim().toLowerCase(Locale.ROOT);
    int colon = t.indexOf(':');
    String name = colon < 0 ? t : t.substring(0, colon);
    String arg = colon < 0 ? null : t.substring(colon + 1).trim();
    if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
      noArgument(token, arg);
      int status = parseStatus(token, name);
      return status == 200 ? NONE : new Fault(FaultKind.STATUS, status, 0, Duration.ZERO);
    }
    switch (name) {
      case "ok":
        noArgument(token, arg);
        return NONE;
      case "quota":
        noArgument(token, arg);
        return new Fault(FaultKind.QUOTA, 429, 0, Duration.ZERO);
      case "hint-ms":
        return new Fault(FaultKind.HINT_MS, 429, number(token, arg, 200), Duration.ZERO);
      case "hint-s":
        return new Fault(FaultKind.HINT_SECONDS, 429, number(token, arg, 1), Duration.ZERO);
      case "hint-date":
        return new Fault(FaultKind.HINT_DATE, 429, number(token, arg, 2), Duration.ZERO);
      case "hint-absurd":
        noArgument(token, arg);
        return new Fault(FaultKind.HINT_ABSURD, 429, 0, Duration.ZERO);
      case "hint-negative":
        noArgument(token, arg);
        return new Fault(FaultKind.HINT_NEGATIVE, 429, 0, Duration.ZERO);
      case "hint-garbage":
        noArgument(token, arg);
        return new Fault(FaultKind.HINT_GARBAGE, 429, 0, Duration.ZERO);
      case "retry":
        return new Fault(FaultKind.SHOULD_RETRY, requiredStatus(token, arg), 0, Duration.ZERO);
      case "noretry":
        return new Fault(FaultKind.SHOULD_NOT_RETRY, requiredStatus(token, arg), 0, Duration.ZERO);
      case "latency":
        return latency(requiredDuration(token, arg));
      case "stall":
        noArgument(token, arg);
        return new Fault(FaultKind.STALL, 0, 0, Duration.ZERO);
      case "reset":
        noArgument(token, arg);
        return new Fault(FaultKind.RESET, 0, 0, Duration.ZERO);
      case "cut":
        noArgument(token, arg);
        return new Fault(FaultKind.CUT, 200, 0, Duration.ZERO);
      case "malformed":
        noArgument(token, arg);
        return new Fault(FaultKind.MALFORMED, 200, 0, Duration.ZERO);
      case "sse-cut":
        return sseCut(events(token, arg));
      case "sse-error":
        return sseFailure(FaultKind.SSE_ERROR, events(token, arg));
      case "sse-failed":
        return sseFailure(FaultKind.SSE_FAILED, events(token, arg));
      case "sse-rate-limit":
        return sseFailure(FaultKind.SSE_RATE_LIMIT, events(token, arg));
      case "html502":
        noArgument(token, arg);
        return new Fault(FaultKind.HTML_502, 502, 0, Duration.ZERO);
      case "outage":
        return outage(requiredDuration(token, arg));
      default:
        throw new IllegalArgumentException(
            "unknown fault token '" + token.trim() + "'; expected a status such as 503, or one of "
                + "ok, quota, hint-ms, hint-s, hint-date, hint-absurd, hint-negative, hint-garbage, "
                + "retry:NNN, noretry:NNN, latency:DUR, stall, reset, cut, malformed, sse-cut:K, "
                + "sse-error:K, sse-failed:K, sse-rate-limit:K, html502, outage:DUR");
    }
  }

  /** The canonical token, which {@link #parse(String)} turns back into an equal fault. */
  public String token() {
    switch (kind) {
      case NONE:
        return "200";
      case STATUS:
        return Integer.toString(status);
      case HINT_MS:
      case HINT_SECONDS:
      case HINT_DATE:
      case SSE_CUT:
      case SSE_ERROR:
      case SSE_FAILED:
      case SSE_RATE_LIMIT:
        return kind.token() + ":" + amount;
      case SHOULD_RETRY:
      case SHOULD_NOT_RETRY:
        return kind.token() + ":" + status;
      case LATENCY:
      case OUTAGE:
        return kind.token() + ":" + GoDuration.format(duration);
      default:
        return kind.token();
    }
  }

  @Override
  public String toString() {
    return token();
  }

  private static void noArgument(String token, String arg) {
    if (arg != null) {
      throw new IllegalArgumentException("fault token '" + token.trim() + "' takes no ':' argument");
    }
  }

  private static int parseStatus(String token, String digits) {
    int status;
    try {
      status = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      status = -1;
    }
    if (status != 200 && (status < 400 || status > 599)) {
      throw new IllegalArgumentException(
          "fault token '" + token.trim() + "': status must be 200 or 400..599");
    }
    return status;
  }

  private static int requiredStatus(String token, String arg) {
    if (arg == null || arg.isEmpty()) {
      throw new IllegalArgumentException(
          "fault token '" + token.trim() + "' needs a status, e.g. retry:409");
    }
    return parseStatus(token, arg);
  }

  private static long number(String token, String arg, long defaultValue) {
    if (arg == null) {
      return defaultValue;
    }
    try {
      long n = Long.parseLong(arg);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "fault token '" + token.trim() + "': '" + arg + "' is not a non-negative whole number");
  }

  private static int events(String token, String arg) {
    return (int) Math.min(Integer.MAX_VALUE, number(token, arg, 1));
  }

  private static Duration requiredDuration(String token, String arg) {
    if (arg == null || arg.isEmpty()) {
      throw new IllegalArgumentException(
          "fault token '" + token.trim() + "' needs a duration, e.g. " + token.trim() + ":500ms");
    }
    return GoDuration.require("fault token '" + token.trim() + "'", arg);
  }
}
