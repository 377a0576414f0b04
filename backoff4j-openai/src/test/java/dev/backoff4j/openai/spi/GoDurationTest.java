package dev.backoff4j.openai.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "7, 7ns",
    "1500, 1.5µs",
    "12000000, 12ms",
    "12500000, 12.5ms",
    "1000000000, 1s",
    "1500000000, 1.5s",
    "360000000000, 6m0s",
    "3723500000000, 1h2m3.5s",
    "3600000000000, 1h0m0s",
    "61000000000, 1m1s",
  })
  void formatsLikeGo(long nanos, String expected) {
    assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(expected);
  }

  @Test
  void formatsNegativeWithLeadingMinus() {
    assertThat(GoDuration.format(Duration.ofMillis(-1500))).isEqualTo("-1.5s");
  }

  @ParameterizedTest
  @CsvSource({
    "1s, 1000000000",
    "6m0s, 360000000000",
    "12ms, 12000000",
    "1.5s, 1500000000",
    "1h2m3.5s, 3723500000000",
    "0, 0",
    "0s, 0",
    "250us, 250000",
    "250µs, 250000",
    "3ns, 3",
    "' 2s ', 2000000000",
    "0.5s, 500000000",
    "+1s, 1000000000",
  })
  void parsesGoDurations(String text, long expectedNanos) {
    assertThat(GoDuration.parse(text)).contains(Duration.ofNanos(expectedNanos));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "-1", "-1s", "abc", "1", "s", "1x", "1.2.3s", "1s2", ".", "ms", "99999999999999h"})
  void rejectsAbsentNegativeAndGarbage(String text) {
    assertThat(GoDuration.parse(text)).isEmpty();
  }

  @Test
  void rejectsNull() {
    assertThat(GoDuration.parse(null)).isEmpty();
  }

  @Test
  void parseInvertsFormat() {
    for (long nanos : new long[] {1, 999, 1_000, 1_234_567, 1_000_000_000, 59_999_000_000L, 7_384_000_000_000L}) {
      Duration d = Duration.ofNanos(nanos);
      assertThat(GoDuration.parse(GoDuration.format(d))).as("%s", d).contains(d);
    }
  }
}
