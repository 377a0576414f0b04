package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
