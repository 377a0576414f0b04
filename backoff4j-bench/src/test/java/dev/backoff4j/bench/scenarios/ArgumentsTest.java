package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Bad arguments to ScenarioMain and ClientProcessMain are named as the user wrote them. */
class ArgumentsTest {

  @Test
  void scenarioMainNamesTheFlagOfAnUnknownScenarioOrContender() {
    assertThatThrownBy(() -> ScenarioMain.parse(new String[] {"--only", "S1,S9"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--only: unknown 'S9'; known: S1,S2,S2-long,S3,S4,S5,S5-jvm,S6");
    assertThatThrownBy(() -> ScenarioMain.parse(new String[] {"--contenders", "backoff4j,failsafe"}))
        .hasMessageStartingWith("--contenders: unknown 'failsafe'; known: recipe,openai-java,resilience4j,");
    assertThatThrownBy(() -> ScenarioMain.parse(new String[] {"--only"})).hasMessage("--only needs a value");
    assertThatThrownBy(() -> ScenarioMain.parse(new String[] {"--fast"})).hasMessage("unknown argument: --fast");
  }

  @Test
  void onlyAFullRunOfEverythingPublishes() {
    assertThat(ScenarioMain.parse(new String[0]).publish()).isTrue();
    assertThat(ScenarioMain.parse(new String[] {"--quick"}).resultsDirectory())
        .isEqualTo(Path.of("backoff4j-bench/target/scenarios-quick"));
    assertThat(ScenarioMain.parse(new String[] {"--only", "S6"}).resultsDirectory())
        .isEqualTo(Path.of("backoff4j-bench/target/scenarios-partial"));
    ScenarioMain.Options elsewhere = ScenarioMain.parse(new String[] {"--results", "/tmp/x"});
    assertThat(elsewhere.publish()).isFalse();
    assertThat(elsewhere.resultsDirectory()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void clientProcessMainNamesTheBadFlag() {
    String[] base = {"--contender", "backoff4j", "--base-url", "http://127.0.0.1:1/v1", "--load", "closed"};
    assertThatThrownBy(() -> ClientProcessMain.parse(base)).hasMessage("--requests is required");
    assertThatThrownBy(() -> ClientProcessMain.parse(with(base, "--requests", "0")))
        .hasMessage("--requests must be at least 1, was 0");
    assertThatThrownBy(() -> ClientProcessMain.parse(with(base, "--requests", "ten")))
        .hasMessage("--requests must be a whole number, was ten");
    assertThatThrownBy(() -> ClientProcessMain.parse(with(base, "--requests", "5", "--warm-up-ms", "-1")))
        .hasMessage("--warm-up-ms must not be negative, was -1");
    assertThatThrownBy(() -> ClientProcessMain.parse(with(base, "--requests", "5", "--redis", "redis://127.0.0.1:1")))
        .hasMessage("--redis is for --contender backoff4j-paced only");
    assertThatThrownBy(() -> ClientProcessMain.parse(with(base, "--requests", "5", "--load")))
        .hasMessage("--load needs a value");
    assertThatThrownBy(() -> ClientProcessMain.parse(new String[] {"--contender", "x", "--base-url", "u", "--load",
        "open", "--requests", "1"})).hasMessage("--load must be closed or burst, was open");
    assertThatThrownBy(() -> ClientProcessMain.parse(with(base, "--requests", "5", "--verbose", "1")))
        .hasMessageStartingWith("unknown argument --verbose");
    assertThat(ClientProcessMain.parse(with(base, "--requests", "5"))).containsEntry("--requests", "5");
  }

  private static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
