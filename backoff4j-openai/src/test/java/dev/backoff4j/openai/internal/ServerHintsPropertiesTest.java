package dev.backoff4j.openai.internal;

import static dev.backoff4j.openai.ServerInput.maybeText;
import static dev.backoff4j.openai.ServerInput.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.spi.GoDuration;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Retry hints from any headers and message: a positive delay of at most a year from a known source,
 * or none; never an exception, never a negative wait.
 */
class ServerHintsPropertiesTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration YEAR = Duration.ofDays(365);
  private static final Set<String> SOURCES = Set.of(RateLimitHeaders.RETRY_AFTER_MS,
      RateLimitHeaders.AZURE_RETRY_AFTER_MS, RateLimitHeaders.RETRY_AFTER, ServerHints.RETRY_AFTER_DATE,
      ServerHints.MESSAGE);

  private static Headers headers(String name, String value) {
    return value == null ? Headers.empty() : Headers.empty().with(name, value);
  }

  private static void assertSane(Optional<ServerHint> hint) {
    hint.ifPresent(found -> {
      assertThat(found.delay()).isPositive().isLessThanOrEqualTo(YEAR);
      assertThat(found.source()).isIn(SOURCES);
    });
  }

  @Test
  void anyHeadersAndMessageGiveASaneHintOrNone() {
    qt().forAll(maybeText(), maybeText(), maybeText(), maybeText()).checkAssert((ms, azure, retryAfter, message) -> {
      Headers headers = Headers.empty();
      if (ms != null) {
        headers = headers.with(RateLimitHeaders.RETRY_AFTER_MS, ms);
      }
      if (azure != null) {
        headers = headers.with(RateLimitHeaders.AZURE_RETRY_AFTER_MS, azure);
      }
      if (retryAfter != null) {
        headers = headers.with(RateLimitHeaders.RETRY_AFTER, retryAfter);
      }
      assertSane(ServerHints.find(headers, message, NOW));
    });
  }

  @Test
  void retryAfterMsIsTheDelayWhenPositive() {
    qt().forAll(longs().all()).checkAssert(ms -> {
      Optional<ServerHint> hint = ServerHints.find(headers(RateLimitHeaders.RETRY_AFTER_MS, Long.toString(ms)), null, NOW);
      if (ms <= 0) {
        assertThat(hint).isEmpty();
      } else {
        assertThat(hint.orElseThrow().delay()).isEqualTo(Duration.ofMillis(Math.min(ms, YEAR.toMillis())));
      }
    });
  }

  @Test
  void retryAfterSecondsWithFractionsIsTheDelayWhenPositive() {
    qt().forAll(integers().between(-10_000_000, 10_000_000), integers().between(0, 3)).checkAssert((units, scale) -> {
      BigDecimal seconds = BigDecimal.valueOf(units, scale);
      Optional<ServerHint> hint = ServerHints.find(headers(RateLimitHeaders.RETRY_AFTER, seconds.toPlainString()),
          null, NOW);
      if (seconds.signum() <= 0) {
        assertThat(hint).isEmpty();
      } else {
        long micros = seconds.movePointRight(6).longValueExact();
        assertThat(hint.orElseThrow().delay()).isEqualTo(Duration.ofNanos(Math.min(micros, YEAR.toNanos() / 1_000) * 1_000));
      }
    });
  }

  @Test
  void retryAfterDatesAreTheTimeLeftUntilThem() {
    qt().forAll(longs().between(-400L * 24 * 3600, 400L * 24 * 3600)).checkAssert(offset -> {
      String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(offset).atOffset(ZoneOffset.UTC));
      Optional<ServerHint> hint = ServerHints.find(headers(RateLimitHeaders.RETRY_AFTER, date), null, NOW);
      if (offset <= 0) {
        assertThat(hint).isEmpty();
      } else {
        assertThat(hint.orElseThrow().delay()).isEqualTo(Duration.ofSeconds(Math.min(offset, YEAR.toSeconds())));
        assertThat(hint.orElseThrow().source()).isEqualTo(ServerHints.RETRY_AFTER_DATE);
      }
    });
  }

  @Test
  void tryAgainInReadsTheGoDurationInTheMessage() {
    qt().forAll(longs().between(0, Duration.ofHours(2).toNanos()), maybeText()).checkAssert((nanos, around) -> {
      Duration delay = Duration.ofNanos(nanos);
      String message = (around == null ? "" : around) + " Please try again in " + GoDuration.format(delay) + ". Visit";
      Optional<ServerHint> hint = ServerHints.fromMessage(message);
      assertSane(hint);
      // An unrelated "try again in" before ours may win; ours is read when the text around has none.
      if (around == null && delay.toMillis() > 0) {
        assertThat(hint.orElseThrow().delay()).isEqualTo(Duration.ofMillis(delay.toMillis()));
      }
    });
  }
}
