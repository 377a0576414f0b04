package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.RequestRecord;
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

  private static String responsesLine(String customId, String input) {
    return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/responses\","
        + "\"body\":{\"model\":\"gpt-4o-mini\",\"input\":\"" + input + "\"}}";
  }

  @Test
  void responsesApiLinesRunLikeChatLines() throws Exception {
    server = MockServer.start(Scenario.builder().script("503,200").build());
    Path input = dir.resolve("input.jsonl");
    Files.write(input, List.of(responsesLine("r1", "first"), chatLine("c1", "second")));
    Path output = dir.resolve("output.jsonl");

    Cli.Result result = Cli.run("batch", input.toString(), "-o", output.toString(), "--base-url", server.baseUrl(),
        "--concurrency", "1", "--initial-delay", "1ms");

    assertThat(result.exit()).as(result.err()).isEqualTo(0);
    Map<String, JsonNode> byId = lines(output).stream().collect(Collectors.toMap(l -> l.get("custom_id").asText(), l -> l));
    JsonNode response = byId.get("r1").get("response");
    assertThat(response.get("status_code").asInt()).isEqualTo(200);
    assertThat(response.get("body").get("object").asText()).isEqualTo("response");
    assertThat(response.get("body").get("output").toString()).contains("first");
    assertThat(byId.get("c1").get("response").get("body").get("object").asText()).isEqualTo("chat.completion");
    assertThat(server.stats().requests()).extracting(RequestRecord::path).contains("/v1/responses");
    assertThat(result.err()).contains("retries 1");
  }

  @Test
  void anOutputLinkedToTheInputIsRefusedAndTheInputIsNotTouched() throws Exception {
    server = MockServer.start(Scenario.builder().build());
    Path input = input(3);
    byte[] before = Files.readAllBytes(input);
    Path symlink = Files.createSymbolicLink(dir.resolve("out.jsonl"), input);
    Path hardLink = Files.createLink(dir.resolve("hard.jsonl"), input);

    for (Path output : List.of(symlink, hardLink)) {
      Cli.Result result = Cli.run("batch", input.toString(), "-o", output.toString(), "--base-url", server.baseUrl());

      assertThat(result.exit()).isEqualTo(2);
      assertThat(result.err()).contains("--output must not be the INPUT file").doesNotContain("earlier run");
    }
    assertThat(Files.readAllBytes(input)).isEqualTo(before);
    assertThat(server.stats().totalRequests()).isZero();
  }

  @Test
  void aMistakenOutputThatIsNotBatchOutputIsRefusedAndLeftIntact() throws Exception {
    server = MockServer.start(Scenario.builder().build());
    Path notes = dir.resolve("notes.md");
    String text = "# Plans\n\n- write the batch\n- last line, no line break";
    Files.writeString(notes, text);
    Path otherRun = dir.resolve("other.jsonl");
    String other = "{\"id\":\"batch_req_1\",\"custom_id\":\"someone-else\",\"response\":null,\"error\":null}\n";
    Files.writeString(otherRun, other);

    Cli.Result result = Cli.run("batch", input(2).toString(), "-o", notes.toString(), "--base-url", server.baseUrl());
    Cli.Result otherResult = Cli.run("batch", dir.resolve("input.jsonl").toString(), "-o", otherRun.toString(),
        "--base-url", server.baseUrl());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains(notes + ": not a batch output of").contains("left unchanged")
        .doesNotContain("sent on the next run");
    assertThat(Files.readString(notes)).isEqualTo(text);
    assertThat(otherResult.exit()).isEqualTo(2);
    assertThat(otherResult.err()).contains("custom_id 'someone-else' is not in");
    assertThat(Files.readString(otherRun)).isEqualTo(other);
    assertThat(server.stats().totalRequests()).isZero();
  }

  @Test
  void anInputThatIsNotUtf8NamesTheFileTheLineAndTheByte() throws Exception {
    server = MockServer.start(Scenario.builder().build());
    Path input = dir.resolve("input.jsonl");
    byte[] latin1 = (chatLine("a", "ok") + "\n" + chatLine("b", "caf\u00e9") + "\n").getBytes(StandardCharsets.ISO_8859_1);
    Files.write(input, latin1);
    Path binary = Files.write(dir.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});

    Cli.Result result = Cli.run("batch", input.toString(), "-o", dir.resolve("o.jsonl").toString(), "--base-url",
        server.baseUrl());
    Cli.Result binaryResult = Cli.run("batch", binary.toString(), "-o", dir.resolve("o.jsonl").toString(), "--base-url",
        server.baseUrl());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains(input + ": 1 invalid line").contains("line 2: not valid UTF-8: byte 0xE9 at byte")
        .doesNotContain("Input length").doesNotContain("sent on the next run");
    assertThat(binaryResult.err()).contains(binary + ": 3 invalid lines")
        .contains("line 1: not valid UTF-8: byte 0x89 at byte 1").contains("line 3: binary data (a NUL byte");
    assertThat(server.stats().totalRequests()).isZero();
  }

  @Test
  void aMissingOutputDirectoryIsSaidToBeMissing() throws Exception {
    server = MockServer.start(Scenario.builder().build());
    Path output = dir.resolve("results").resolve("out.jsonl");

    Cli.Result result = Cli.run("batch", input(1).toString(), "-o", output.toString(), "--base-url", server.baseUrl());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("the directory " + dir.resolve("results") + " does not exist")
        .doesNotContain("sent on the next run");
    assertThat(server.stats().totalRequests()).isZero();
  }

  @Test
  void theApiKeyIsNeverWrittenWhereverTheServerEchoesIt() throws Exception {
    String key = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"; // not sk-shaped
    Path input = dir.resolve("input.jsonl");
    Files.write(input, List.of(chatLine("unauthorized", "401"), chatLine("json-500", "500"),
        chatLine("text-500", "text"), chatLine("ok", "200")));
    Path output = dir.resolve("output.jsonl");
    try (EchoingServer echo = new EchoingServer((received, body) -> body.contains("\"401\"")
        ? new EchoingServer.Answer(401, "application/json", "{\"error\":{\"message\":\"Incorrect API key provided: "
            + received + "\",\"type\":\"invalid_request_error\",\"code\":\"" + received + "\"}}")
        : body.contains("\"500\"") ? new EchoingServer.Answer(500, "application/json",
            "{\"error\":{\"message\":\"upstream refused " + received + "\",\"type\":\"server_error\"}}")
        : body.contains("\"text\"") ? new EchoingServer.Answer(500, "text/plain", "proxy: bad key " + received)
        : new EchoingServer.Answer(200, "application/json", "{\"id\":\"c\",\"object\":\"chat.completion\","
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + "echo " + received + "\"}}]}"))) {

      Cli.Result result = Cli.run(Map.of(Environment.API_KEY, key), "batch", input.toString(), "-o", output.toString(),
          "--base-url", echo.baseUrl(), "--max-retries", "0");

      assertThat(result.exit()).as(result.err()).isEqualTo(4);
      assertThat(result.err()).doesNotContain(key);
    }
    String written = Files.readString(output);
    assertThat(lines(output)).hasSize(4);
    assertThat(written).doesNotContain(key).doesNotContain(key.substring(0, 12)).contains("***");
  }

  @Test
  void retryErrorsResendsTheRetryableErrorsAndKeepsTheFinalOnes() throws Exception {
    server = MockServer.start(Scenario.builder().script("500,400,200,reset,200").build());
    Path input = input(5);
    Path output = dir.resolve("output.jsonl");
    String[] args = {"batch", input.toString(), "-o", output.toString(), "--base-url", server.baseUrl(),
        "--concurrency", "1", "--max-retries", "0"};
    assertThat(Cli.run(args).exit()).isEqualTo(4);
    Map<String, JsonNode> first = byId(output);
    assertThat(first.values()).filteredOn(l -> !l.get("error").isNull()).hasSize(3);
    assertThat(first.get("req-0").get("error").get("retryable").asBoolean()).isTrue();
    assertThat(first.get("req-1").get("error").get("retryable").asBoolean()).isFalse();
    assertThat(first.get("req-3").get("error").get("retryable").asBoolean()).isTrue();

    Cli.Result plain = Cli.run(args);
    assertThat(plain.err()).contains("this run: 0 sent");
    server.scenario(Scenario.builder().build());
    Cli.Result retried = Cli.run(concat(args, "--retry-errors"));

    assertThat(retried.exit()).as("the 400 is still an error").isEqualTo(4);
    assertThat(retried.err()).contains("resuming: 3 of 5 requests already in")
        .contains("(2 of them sent again after a retryable error)")
        .contains("4 ok, 1 with an error").contains("this run: 2 sent (2 re-sent after a retryable error)");
    Map<String, JsonNode> after = byId(output);
    assertThat(after).hasSize(5);
    assertThat(after.get("req-1")).as("the final error, as it was").isEqualTo(first.get("req-1"));
    assertThat(after.get("req-0").get("error").isNull()).isTrue();
    assertThat(after.get("req-3").get("error").isNull()).isTrue();
    assertThat(lines(output)).hasSize(5);
  }

  @Test
  void aRetryErrorsRunKilledMidwayResumesWithEveryCustomIdExactlyOnce() throws Exception {
    int count = 200;
    server = MockServer.start(Scenario.builder().faultRates("500=0.5,400=0.1").seed(11).build());
    Path input = input(count);
    Path output = dir.resolve("output.jsonl");
    String[] args = {"batch", input.toString(), "--output", output.toString(), "--base-url", server.baseUrl(),
        "--concurrency", "2", "--max-retries", "0", "--retry-errors", "--progress-interval", "200ms"};
    Cli.run(args);
    Map<String, JsonNode> first = byId(output);
    List<String> finalErrors = first.values().stream()
        .filter(l -> !l.get("error").isNull() && !l.get("error").get("retryable").asBoolean())
        .map(l -> l.get("custom_id").asText()).toList();
    long retryable = first.values().stream()
        .filter(l -> !l.get("error").isNull() && l.get("error").get("retryable").asBoolean()).count();
    assertThat(retryable).isGreaterThan(60);
    assertThat(finalErrors).isNotEmpty();

    server.scenario(Scenario.builder().latency("20ms").build());
    long kept = count - retryable;
    Process second = Cli.process(dir, args).redirectErrorStream(true)
        .redirectOutput(dir.resolve("second.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // The rewrite first drops the retryable lines, then the re-sent ones are appended.
      for (int lines = lineCount(output); !(lines >= kept + 10 && lines < count) && second.isAlive()
          && System.nanoTime() < deadline; lines = lineCount(output)) {
        Thread.sleep(2);
      }
      assertThat(second.isAlive()).as("still running when killed").isTrue();
      second.destroyForcibly();
      second.waitFor(10, TimeUnit.SECONDS);
    } finally {
      second.destroyForcibly();
    }
    int afterKill = lineCount(output);
    assertThat(afterKill).isBetween((int) kept + 10, count - 1);
    assertThat(Files.readString(dir.resolve("second.log"))).contains("sent again after a retryable error");
    assertThat(byId(output)).as("at most one line per custom_id, even when killed").hasSize(afterKill);

    Cli.Result third = Cli.run(args);

    assertThat(third.exit()).as(third.err()).isEqualTo(4);
    Map<String, JsonNode> after = byId(output);
    assertThat(lines(output)).hasSize(count);
    assertThat(after).hasSize(count);
    assertThat(after.values()).filteredOn(l -> !l.get("error").isNull())
        .extracting(l -> l.get("custom_id").asText()).containsExactlyInAnyOrderElementsOf(finalErrors);
    for (String id : finalErrors) {
      assertThat(after.get(id)).isEqualTo(first.get(id));
    }
  }

  /** Every line by custom_id; fails on a custom_id written twice. */
  private static Map<String, JsonNode> byId(Path output) throws IOException {
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode line : lines(output)) {
      assertThat(byId.put(line.get("custom_id").asText(), line)).as("written twice: " + line).isNull();
    }
    return byId;
  }

  private static String[] concat(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
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
