package dev.backoff4j.openai.spi;

import static dev.backoff4j.openai.ServerInput.qt;
import static dev.backoff4j.openai.ServerInput.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GoDuration.parse reads x-ratelimit-reset-* values and "try again in" delays: any text, no surprise. */
class GoDurationPropertiesTest {

  private static final Map<String, Long> UNIT_NANOS = Map.of("h", 3_600_000_000_000L, "m", 60_000_000_000L,
      "s", 1_000_000_000L, "ms", 1_000_000L, "us", 1_000L, "µs", 1_000L, "ns", 1L);

  @Test
  void anyTextIsADurationOrNothingAndNeverNegative() {
    qt().forAll(text()).checkAssert(text ->
        GoDuration.parse(text).ifPresent(duration -> assertThat(duration.isNegative()).isFalse()));
  }

  @Test
  void whatFormatWritesParseReadsBack() {
    qt().forAll(longs().between(0, 1_000_000_000_000_000_000L)).checkAssert(nanos -> {
      Duration duration = Duration.ofNanos(nanos);
      assertThat(GoDuration.parse(GoDuration.format(duration))).contains(duration);
    });
  }

  @Test
  void aDurationOfSeveralPartsIsTheirSum() {
    record Part(int number, String unit) {}
    qt().forAll(lists().of(integers().between(0, 1_000_000)
            .zip(arbitrary().pick(List.copyOf(UNIT_NANOS.keySet())), Part::new)).ofSizeBetween(1, 4))
        .checkAssert(parts -> {
          StringBuilder text = new StringBuilder();
          long nanos = 0;
          for (Part part : parts) {
            text.append(part.number()).append(part.unit());
            nanos += part.number() * UNIT_NANOS.get(part.unit());
          }
          assertThat(GoDuration.parse(text)).contains(Duration.ofNanos(nanos));
        });
  }
}
