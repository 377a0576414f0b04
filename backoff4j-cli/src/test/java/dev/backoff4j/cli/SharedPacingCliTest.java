package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --redis} and {@code $BACKOFF4J_REDIS_URL}: which one wins, how a bad one is named, never the password. */
class SharedPacingCliTest {

  @TempDir
  Path dir;

  private MockServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path input(int count) throws Exception {
    Path input = dir.resolve("input.jsonl");
    Files.write(input, IntStream.range(0, count).mapToObj(i -> "{\"custom_id\":\"r" + i
        + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"gpt-4o-mini\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}").toList());
    return input;
  }

  @Test
  void aRedisFlagThatIsNotARedisUrlIsAUsageErrorNamingTheFlagWithoutThePassword() throws Exception {
    Cli.Result result = Cli.run("batch", input(1).toString(), "-o", dir.resolve("out.jsonl").toString(),
        "--base-url", "http://127.0.0.1:9/v1", "--redis", "http://admin:hunter2@redis.internal:6379");
    assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("error: --redis must be redis://host[:port] or rediss://host[:port], was "
        + "'http://***@redis.internal:6379'").doesNotContain("hunter2");
    assertThat(dir.resolve("out.jsonl")).doesNotExist();
  }

  @Test
  void aBadVariableIsNamedAsTheVariable() throws Exception {
    Cli.Result result = Cli.run(Map.of("BACKOFF4J_REDIS_URL", "localhost:6379"), "batch", input(1).toString(), "-o",
        dir.resolve("out.jsonl").toString(), "--base-url", "http://127.0.0.1:9/v1");
    assertThat(result.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("error: $BACKOFF4J_REDIS_URL must be redis://");
  }

  @Test
  void theFlagWinsOverTheVariableAndARedisThatDoesNotAnswerFailsNoRequest() throws Exception {
    server = MockServer.start(Scenario.builder().build());
    Cli.Result result = Cli.run(Map.of("BACKOFF4J_REDIS_URL", "not a url"), "batch", input(5).toString(), "-o",
        dir.resolve("out.jsonl").toString(), "--base-url", server.baseUrl(),
        "--redis", "redis://:hunter2@127.0.0.1:1");
    assertThat(result.exit()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readAllLines(dir.resolve("out.jsonl"))).hasSize(5);
    assertThat(result.err()).contains("warning: Redis at redis://***@127.0.0.1:1 does not answer; pacing alone until it does")
        .doesNotContain("hunter2");
  }

  @Test
  void chatAcceptsTheRedisFlagToo() {
    server = MockServer.start(Scenario.builder().reply("fine").build());
    Cli.Result result = Cli.run(Map.of(), "chat", "--base-url", server.baseUrl(), "--redis",
        "redis://user:hunter2@127.0.0.1:1/0", "hello");
    assertThat(result.exit()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).contains("fine");
    assertThat(result.err()).contains("redis://***@127.0.0.1:1/0").doesNotContain("hunter2");
    List<String> lines = result.errLines();
    assertThat(lines).anyMatch(line -> line.startsWith("warning: Redis at"));
  }
}
