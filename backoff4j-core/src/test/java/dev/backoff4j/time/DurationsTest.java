package dev.backoff4j.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void formatsLikePeopleWriteDurations() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
    assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850ms");
    assertThat(Durations.format(Duration.ofMillis(1030))).isEqualTo("1.03s");
    assertThat(Durations.format(Duration.ofSeconds(125))).isEqualTo("2m5s");
    assertThat(Durations.format(Duration.ofMinutes(150))).isEqualTo("2h30m");
  }
}
