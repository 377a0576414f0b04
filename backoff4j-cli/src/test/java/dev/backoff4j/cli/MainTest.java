package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

  @ParameterizedTest
  @ValueSource(strings = {"chat", "demo", "mock", "batch"})
  void everyCommandHasHelpListingTheExitCodes(String command) {
    Cli.Result result = Cli.run(command, "--help");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out()).contains("Usage: backoff4j " + command).contains("Exit codes:")
        .contains("3   rejected and not retried").contains("4   gave up").contains("5   stream interrupted");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    Cli.Result result = Cli.run("--help");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out()).contains("chat", "demo", "mock", "batch");
  }

  @Test
  void versionNamesBackoff4j() {
    Cli.Result result = Cli.run("--version");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out()).startsWith("backoff4j ");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertThat(Cli.run("teleport").exit()).isEqualTo(2);
  }

  @Test
  void chatHelpDocumentsTheRecipeDefaults() {
    String help = Cli.run("chat", "--help").out();

    assertThat(help).contains("--max-retries=N").contains("(default: 5)").contains("--initial-delay=DUR")
        .contains("(default: 1s)").contains("(default: gpt-4o)");
  }
}
