package dev.backoff4j.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScenarioJsonTest {

  /** Scenario uses the reader; were the reader to name Scenario again, the two files would form a cycle. */
  @Test
  void theReaderNamesNothingOfScenario() throws Exception {
    for (Class<?> type : new Class<?>[] {ScenarioJson.class, ScenarioJson.Settings.class}) {
      String constants;
      try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
        constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
      // class references and descriptors both spell the binary name, Scenario$Builder included
      assertThat(constants).as(type.getName()).doesNotContain("dev/backoff4j/mock/Scenario");
    }
  }
}
