package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private MockServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String chatLine(String customId, String content) {
    return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
        + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}}";
  }

  private Path input(int count) throws IOException {
    Path input = dir.resolve("input.jsonl");
    Files.write(input, IntStream.range(0, count).mapToObj(i -> chatLine("req-" + i, "hello " + i)).toList());
    return input;
  }

  private static List<JsonNode> lines(Path output) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(line)); // throws on any invalid line
    }
    return lines;
  }

  @Test
  void writesOneBatchOutputLinePerRequest() throws Exception {
    server = MockServer.start(Scenario.builder().build());
    Path input = dir.resolve("input.jsonl");
    Files.write(input, List.of(
        chatLine("a", "first"),
        "",
        "{\"custom_id\":\"b\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
            + "\"body\":{\"model\":\"text-embedding-3-small\",\"input\":\"second\"}}"));
    Path output = dir.resolve("output.jsonl");

    Cli.Result result = Cli.run("batch", input.toString(), "--output", output.toString(), "--base-url", server.baseUrl());

    assertThat(result.exit()).isEqualTo(0);
    Map<String, JsonNode> byId = lines(output).stream().collect(Collectors.toMap(l -> l.get("custom_id").asText(), l -> l));
    assertThat(byId).containsOnlyKeys("a", "b");
    JsonNode chat = byId.get("a");
    assertThat(chat.get("id").asText()).matches("batch_req_[0-9a-f]{32}");
    assertThat(chat.get("response").get("status_code").asInt()).isEqualTo(200);
    assertThat(chat.get("response").get("request_id").asText()).startsWith("req_");
    assertThat(chat.get("response").get("body").get("choices").get(0).get("message").get("content").asText())
        .isEqualTo("first");
    assertThat(chat.get("error").isNull()).isTrue();
    assertThat(byId.get("b").get("response").get("body").get("object").asText()).isEqualTo("list");
    assertThat(result.err()).contains("batch: 2 requests, 2 in ").contains("2 ok, 0 with an error");
  }

  @Test
  void aPermanentFailureIsWrittenWithItsErrorAndExitsWith4() throws Exception {
    server = MockServer.start(Scenario.builder().script("quota").build());
    Path output = dir.resolve("output.jsonl");

    Cli.Result result = Cli.run("batch", input(3).toString(), "-o", output.toString(), "--base-url", server.baseUrl(),
        "--concurrency", "1");

    assertThat(result.exit()).isEqualTo(4);
    List<JsonNode> lines = lines(output);
    assertThat(lines).hasSize(3);
    JsonNode failed = lines.stream().filter(l -> !l.get("error").isNull()).findFirst().orElseThrow();
    assertThat(failed.get("custom_id").asText()).isEqualTo("req-0");
    assertThat(failed.get("error").get("code").asText()).isEqualTo("insufficient_quota");
    assertThat(failed.get("error").get("message").asText()).contains("429");
    assertThat(failed.get("response").get("status_code").asInt()).isEqualTo(429);
    assertThat(failed.get("response").get("body").get("error").get("code").asText()).isEqualTo("insufficient_quota");
    assertThat(result.err()).contains("2 ok, 1 with an error");

    // A second run sends nothing: every request has its line, and the error is still reported.
    long before = server.stats().totalRequests();
    Cli.Result again = Cli.run("batch", dir.resolve("input.jsonl").toString(), "-o", output.toString(), "--base-url",
        server.baseUrl());
    assertThat(again.exit()).isEqualTo(4);
    assertThat(server.stats().totalRequests()).isEqualTo(before);
    assertThat(lines(output)).hasSize(3);
  }

  @Test
  void anInvalidInputIsRejectedWithItsLineNumbersBeforeAnythingIsSent() throws Exception {
    server = MockServer.start(Scenario.builder().build());
    Path input = dir.resolve("input.jsonl");
    Files.write(input, List.of(
        chatLine("ok-1", "fine"),
        "{not json",
        "{\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
        chatLine("ok-1", "again"),
        "{\"custom_id\":\"x\",\"method\":\"POST\",\"url\":\"/v1/images/edits\",\"body\":{}}",
        "{\"custom_id\":\"y\",\"method\":\"GET\",\"url\":\"/v1/chat/completions\",\"body\":{}}"));
    Path output = dir.resolve("output.jsonl");

    Cli.Result result = Cli.run("batch", input.toString(), "-o", output.toString(), "--base-url", server.baseUrl());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("5 invalid lines")
        .contains("line 2: not valid JSON")
        .contains("line 3: custom_id is missing")
        .contains("line 4: duplicate custom_id 'ok-1' (first on line 1)")
        .contains("line 5: unsupported url '/v1/images/edits'")
        .contains("line 6: method must be POST");
    assertThat(server.stats().totalRequests()).isZero();
    assertThat(output).doesNotExist();
  }

  @Test
  void aMissingInputOrOutputOptionIsAUsageError() {
    assertThat(Cli.run("batch", dir.resolve("nope.jsonl").toString(), "-o", dir.resolve("o.jsonl").toString())
        .exit()).isEqualTo(2);
    assertThat(Cli.run("batch", "in.jsonl").err()).contains("--output");
  }

  @Test
  void aBadPacingSeedNamesItsOwnOption() throws Exception {
    Path output = dir.resolve("o.jsonl");
    Cli.Result rpm = Cli.run("batch", input(1).toString(), "-o", output.toString(), "--base-url", "http://127.0.0.1:9/v1",
        "--rpm", "Infinity", "--tpm", "1000");
    assertThat(rpm.exit()).isEqualTo(2);
    assertThat(rpm.err()).contains("--rpm must be a positive number");
    Cli.Result tpm = Cli.run("batch", input(1).toString(), "-o", output.toString(), "--base-url", "http://127.0.0.1:9/v1",
        "--tpm", "0");
    assertThat(tpm.err()).contains("--tpm must be a positive number");
  }

  @Test
  void aBatchKilledMidRunResumesWithEveryCustomIdExactlyOnce() throws Exception {
    int count = 600;
    server = MockServer.start(Scenario.builder()
        .faultRates("500=0.05,reset=0.01,hint-ms:20=0.03")
        .latency("2ms..10ms")
        .seed(7)
        .build());
    Path input = input(count);
    Path output = dir.resolve("output.jsonl");
    String[] args = {"batch", input.toString(), "--output", output.toString(), "--base-url", server.baseUrl(),
        "--concurrency", "4", "--initial-delay", "10ms", "--max-delay", "50ms", "--max-retries", "12",
        "--progress-interval", "200ms"};

    Process first = Cli.process(dir, args).redirectErrorStream(true)
        .redirectOutput(dir.resolve("first.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (lineCount(output) < 100 && first.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(first.isAlive()).as("still running when killed").isTrue();
      first.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
      first.waitFor(10, TimeUnit.SECONDS);
    } finally {
      first.destroyForcibly();
    }
    int afterKill = lineCount(output);
    assertThat(afterKill).isBetween(100, count - 1);
    // A crash can leave half a line; make sure the resume repairs one.
    Files.writeString(output, "{\"id\":\"batch_req_torn\",\"custom_id\":\"req-", StandardOpenOption.APPEND);

    Cli.Result resumed = Cli.run(args);

    assertThat(resumed.exit()).as(resumed.err()).isEqualTo(0);
    assertThat(resumed.err()).contains("resuming: ").contains(count + " requests, " + count + " in ");
    List<JsonNode> lines = lines(output);
    Map<String, Integer> seen = new HashMap<>();
    for (JsonNode line : lines) {
      seen.merge(line.get("custom_id").asText(), 1, Integer::sum);
      assertThat(line.get("error").isNull()).as(line.toString()).isTrue();
      assertThat(line.get("response").get("status_code").asInt()).isEqualTo(200);
    }
    assertThat(seen).hasSize(count);
    assertThat(seen.values()).allMatch(times -> times == 1);
    assertThat(lines).hasSize(count);
    assertThat(server.stats().faults("500")).as("500s injected").isPositive();
    assertThat(server.stats().faults("reset")).as("resets injected").isPositive();
    assertThat(server.stats().count(429)).as("429s injected").isPositive();
  }

  private static int lineCount(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    byte[] bytes = Files.readAllBytes(file);
    int lines = 0;
    for (byte b : bytes) {
      lines += b == '\n' ? 1 : 0;
    }
    return lines;
  }
}
