package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockServerMainTest {

  @Test
  void cliFlagsSetTheSameScenarioModel(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("s.json");
    Files.writeString(file, "{\"reply\":\"from file\",\"script\":\"500\"}");

    try (MockServer server = MockServerMain.parse(new String[] {
        "--scenario", file.toString(), "--script", "429,503,200", "--fault-rate", "500=0.1,reset=0.02",
        "--rpm", "60", "--tpm", "1000", "--window", "10s", "--latency", "5ms", "--api-key", "sk-x"}).start()) {
      Scenario s = server.scenario();

      assertThat(s.reply()).contains("from file");
      assertThat(s.script()).isEqualTo(FaultScript.parse("429,503,200"));
      assertThat(s.faultRates()).isEqualTo(FaultRates.parse("500=0.1,reset=0.02"));
      assertThat(s.rateLimit()).isEqualTo(new RateLimit(60, 1000, Duration.ofSeconds(10)));
      assertThat(s.latency()).isEqualTo(Latency.fixed(Duration.ofMillis(5)));
      assertThat(s.apiKey()).contains("sk-x");
      assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
    }
  }

  @Test
  void tokenLimitsMayExceedAnInt() {
    try (MockServer server = MockServerMain.parse(new String[] {"--tpm", "5000000000"}).start()) {
      assertThat(server.scenario().rateLimit().tokens()).isEqualTo(5_000_000_000L);
    }
    assertThatThrownBy(() -> MockServerMain.parse(new String[] {"--port", "5000000000"}))
        .hasMessageContaining("--port: '5000000000' is too large");
  }

  @Test
  void badFlagsAreNamed() {
    assertThatThrownBy(() -> MockServerMain.parse(new String[] {"--rpm", "lots"})).hasMessageContaining("--rpm: 'lots'");
    assertThatThrownBy(() -> MockServerMain.parse(new String[] {"--port"})).hasMessageContaining("--port needs a value");
    assertThatThrownBy(() -> MockServerMain.parse(new String[] {"--bogus", "1"})).hasMessageContaining("unknown flag --bogus");
    assertThatThrownBy(() -> MockServerMain.parse(new String[] {"--script", "429,zzz"})).hasMessageContaining("'zzz'");
  }

  @Test
  void serverBuilderRejectsInvalidSettingsByName() {
    assertThatThrownBy(() -> MockServer.builder().port(70_000).start()).hasMessageContaining("port");
    assertThatThrownBy(() -> MockServer.builder().ioThreads(0).start()).hasMessageContaining("ioThreads");
    assertThatThrownBy(() -> MockServer.builder().host(" ").start()).hasMessageContaining("host");
  }

  @Test
  void closeIsIdempotent() {
    MockServer server = MockServer.start(Scenario.defaults());

    server.close();
    server.close();

    assertThat(server.toString()).contains("127.0.0.1");
  }
}
