package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.spi.GoDuration;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server's retry hint from a failed response, first usable source wins:
 *
 * <ol>
 *   <li>{@code retry-after-ms}: milliseconds (OpenAI);
 *   <li>{@code x-ms-retry-after-ms}: milliseconds (Azure OpenAI);
 *   <li>{@code Retry-After}: seconds, fractions allowed ({@code 1.5});
 *   <li>{@code Retry-After}: an HTTP date, as the time left until it;
 *   <li>the error message: "try again in 1.5s" or "try again in 456ms" (OpenAI's rate-limit text).
 * </ol>
 *
 * <p>Garbage, zero, negative and past values are skipped without an exception (the next source is
 * tried), so a bad header never breaks a retry: the policy's backoff applies instead. No upper bound
 * is applied here; the retry policy's {@code maxServerDelay} and deadline decide what is too long.
 */
public final class ServerHints {

  /** The source name of a {@code Retry-After} header given as an HTTP date. */
  public static final String RETRY_AFTER_DATE = "retry-after-date";
  /** The source name of a delay read from the error message. */
  public static final String MESSAGE = "message";

  // "Please try again in 1.5s." / "try again in 456ms" / "try again in 6m0s" (OpenAI rate-limit messages).
  private static final Pattern IN_MESSAGE =
      Pattern.compile("try again in ((?:\\d+(?:\\.\\d+)?(?:h|ms|m|s))+)", Pattern.CASE_INSENSITIVE);
  private static final long MAX_MILLIS = Duration.ofDays(365).toMillis();

  private ServerHints() {}

  /**
   * The hint in {@code headers} or, failing them, in {@code errorMessage}.
   *
   * @param now the wall clock, to turn an HTTP date into a delay
   * @param errorMessage the error body's message, or {@code null}
   */
  public static Optional<ServerHint> find(Headers headers, String errorMessage, Instant now) {
    Optional<ServerHint> hint = millis(headers, RateLimitHeaders.RETRY_AFTER_MS)
        .or(() -> millis(headers, RateLimitHeaders.AZURE_RETRY_AFTER_MS))
        .or(() -> retryAfter(headers, now));
    return hint.isPresent() ? hint : fromMessage(errorMessage);
  }

  /** The delay in an OpenAI rate-limit message such as "Please try again in 1.5s.", if any. */
  public static Optional<ServerHint> fromMessage(String message) {
    if (message == null) {
      return Optional.empty();
    }
    Matcher matcher = IN_MESSAGE.matcher(message);
    if (!matcher.find()) {
      return Optional.empty();
    }
    // The message's delay is a Go duration, like the rate-limit reset headers.
    return GoDuration.parse(matcher.group(1).toLowerCase(Locale.ROOT))
        .flatMap(delay -> hint(BigDecimal.valueOf(delay.toMillis()), MESSAGE));
  }

  private static Optional<ServerHint> millis(Headers headers, String name) {
    return headers.first(name).flatMap(ServerHints::decimal).flatMap(ms -> hint(ms, name));
  }

  private static Optional<ServerHint> retryAfter(Headers headers, Instant now) {
    Optional<String> value = headers.first(RateLimitHeaders.RETRY_AFTER);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<BigDecimal> seconds = decimal(value.get());
    if (seconds.isPresent()) {
      return hint(seconds.get().multiply(BigDecimal.valueOf(1_000)), RateLimitHeaders.RETRY_AFTER);
    }
    try {
      Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return hint(BigDecimal.valueOf(Duration.between(now, at).toMillis()), RETRY_AFTER_DATE);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<BigDecimal> decimal(String text) {
    try {
      return Optional.of(new BigDecimal(text.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A hint of {@code millis}, if positive; absurd values are clamped to a year (the policy's cap rejects them). */
  private static Optional<ServerHint> hint(BigDecimal millis, String source) {
    if (millis.signum() <= 0) {
      return Optional.empty();
    }
    long micros = millis.min(BigDecimal.valueOf(MAX_MILLIS)).movePointRight(3).longValue();
    return micros <= 0 ? Optional.empty() : Optional.of(new ServerHint(Duration.ofNanos(micros * 1_000), source));
  }
}
