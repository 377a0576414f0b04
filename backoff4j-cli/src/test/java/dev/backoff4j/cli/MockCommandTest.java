package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.FaultRates;
import dev.backoff4j.mock.FaultScript;
import dev.backoff4j.mock.Latency;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.RateLimit;
import dev.backoff4j.mock.Scenario;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MockCommandTest {

  @TempDir
  Path dir;

  @Test
  void helpListsEveryFaultToken() {
    String help = Cli.run("mock", "--help").out();
    for (dev.backoff4j.mock.FaultKind kind : dev.backoff4j.mock.FaultKind.values()) {
      if (kind != dev.backoff4j.mock.FaultKind.NONE && kind != dev.backoff4j.mock.FaultKind.STATUS) {
        assertThat(help).as(kind.name()).contains(kind.token());
      }
    }
  }

  @Test
  void printsItsAddressFirstServesTheScriptAndStopsOnSigterm() throws Exception {
    Process process = Cli.process(dir, "mock", "--script", "429,200").redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      // readLine cannot be interrupted: read on another thread so a hung child fails the test, not the build
      String first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(first).matches("listening on http://127\\.0\\.0\\.1:\\d+/v1");
      String baseUrl = first.substring("listening on ".length());

      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build();
      assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(429);
      assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      assertThat(process.exitValue()).isIn(0, 143);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aBadFaultTokenIsAUsageErrorNamingTheOption() {
    Cli.Result result = Cli.run("mock", "--script", "429,teapot");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--script").contains("teapot");
  }

  @Test
  void aBadFaultRateIsAUsageErrorNamingTheOption() {
    Cli.Result result = Cli.run("mock", "--fault-rate", "500=2");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--fault-rate");
  }

  @Test
  void everyOptionSetsTheMockScenario() throws Exception {
    Path file = dir.resolve("s.json");
    Files.writeString(file, "{\"reply\":\"from file\",\"script\":\"500\"}");

    Scenario s = scenario("--scenario", file.toString(), "--script", "429,503,200", "--fault-rate",
        "500=0.1,reset=0.02", "--rpm", "60", "--tpm", "1000", "--window", "10s", "--latency", "5ms",
        "--api-key", "sk-x");

    assertThat(s.reply()).contains("from file");
    assertThat(s.script()).isEqualTo(FaultScript.parse("429,503,200"));
    assertThat(s.faultRates()).isEqualTo(FaultRates.parse("500=0.1,reset=0.02"));
    assertThat(s.rateLimit()).isEqualTo(new RateLimit(60, 1000, Duration.ofSeconds(10)));
    assertThat(s.latency()).isEqualTo(Latency.fixed(Duration.ofMillis(5)));
    assertThat(s.apiKey()).contains("sk-x");
  }

  @Test
  void theScenarioFileIsTheBaseWhereverItStandsAmongTheOptions() throws Exception {
    Path file = dir.resolve("s.json");
    Files.writeString(file, "{\"reply\":\"from file\",\"script\":\"500\",\"rateLimit\":{\"rpm\":5,\"tpm\":50}}");

    Scenario fileFirst = scenario("--scenario", file.toString(), "--script", "429", "--rpm", "60");
    Scenario fileLast = scenario("--script", "429", "--rpm", "60", "--scenario", file.toString());

    for (Scenario s : new Scenario[] {fileFirst, fileLast}) {
      assertThat(s.reply()).contains("from file");
      assertThat(s.script()).isEqualTo(FaultScript.parse("429"));
      assertThat(s.rateLimit().requests()).isEqualTo(60);
      assertThat(s.rateLimit().tokens()).isEqualTo(50); // the file's, since --tpm was not given
    }
  }

  @Test
  void tokenLimitsMayExceedAnInt() {
    assertThat(scenario("--tpm", "5000000000").rateLimit().tokens()).isEqualTo(5_000_000_000L);
  }

  @Test
  void aPortInUseIsOneClearErrorLineAndStatus2() {
    try (MockServer taken = MockServer.start(Scenario.defaults())) {
      Cli.Result result = Cli.run("mock", "--port", Integer.toString(taken.port()));

      assertThat(result.exit()).isEqualTo(2);
      assertThat(result.errLines().get(0))
          .startsWith("error: cannot listen on 127.0.0.1:" + taken.port() + ": ")
          .contains("in use");
      assertNoStackTrace(result);
    }
  }

  @Test
  void aMissingScenarioFileIsOneClearErrorLineAndStatus2() {
    Path missing = dir.resolve("missing.json");

    Cli.Result result = Cli.run("mock", "--scenario", missing.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.errLines().get(0))
        .isEqualTo("error: --scenario: cannot read scenario file " + missing + ": no such file");
    assertNoStackTrace(result);
  }

  @Test
  void aBadScenarioFileNamesTheOptionTheFileAndTheField() throws Exception {
    Path file = dir.resolve("typo.json");
    Files.writeString(file, "{\"scirpt\":\"429\"}");

    Cli.Result result = Cli.run("mock", "--scenario", file.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.errLines().get(0)).startsWith("error: --scenario: scenario file " + file)
        .contains("unknown field 'scirpt'");
    assertNoStackTrace(result);
  }

  @Test
  void outOfRangeValuesAreNamedAsTheOptionsTheyCameFrom() {
    Cli.Result port = Cli.run("mock", "--port", "70000");
    Cli.Result threads = Cli.run("mock", "--io-threads", "0");
    Cli.Result key = Cli.run("mock", "--api-key", " ");
    Cli.Result huge = Cli.run("mock", "--port", "5000000000");

    for (Cli.Result result : new Cli.Result[] {port, threads, key, huge}) {
      assertThat(result.exit()).isEqualTo(2);
      assertNoStackTrace(result);
    }
    assertThat(port.errLines().get(0)).isEqualTo("error: --port: port must be 0..65535, was 70000");
    assertThat(threads.errLines().get(0)).isEqualTo("error: --io-threads: ioThreads must be 1..256, was 0");
    assertThat(key.errLines().get(0)).isEqualTo("error: --api-key: apiKey must not be blank");
    assertThat(huge.err()).contains("--port").contains("5000000000");
  }

  /** The scenario {@code backoff4j mock args} would serve. */
  private static Scenario scenario(String... args) {
    MockCommand command = new MockCommand();
    new CommandLine(command).parseArgs(args);
    return command.scenario();
  }

  private static void assertNoStackTrace(Cli.Result result) {
    assertThat(result.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }
}
