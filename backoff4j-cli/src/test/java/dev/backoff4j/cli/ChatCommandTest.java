package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.testkit.VirtualTime;
import dev.backoff4j.time.TimeSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatCommandTest {

  private static final String FAST = "--initial-delay=10ms";

  private MockServer server;

  private Cli.Result chat(Scenario scenario, String... args) {
    return chat(Map.of(), scenario, args);
  }

  private Cli.Result chat(Map<String, String> env, Scenario scenario, String... args) {
    return chat(env, TimeSource.system(), scenario, args);
  }

  private Cli.Result chat(Map<String, String> env, TimeSource time, Scenario scenario, String... args) {
    server = MockServer.start(scenario);
    String[] full = new String[args.length + 3];
    full[0] = "chat";
    full[1] = "--base-url=" + server.baseUrl();
    full[2] = FAST;
    System.arraycopy(args, 0, full, 3, args.length);
    return Cli.run(env, time, full);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void printsTheReplyOnStdoutAndEachFailedAttemptAsOneStderrLine() {
    Cli.Result result = chat(Scenario.builder().reply("Hi there").script("hint-ms:50,503,200").build(), "Say", "hi");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out()).isEqualTo("Hi there" + System.lineSeparator());
    assertThat(result.errLines()).hasSize(2);
    assertThat(result.errLines().get(0))
        .matches("attempt 1 failed: 429 rate_limit_exceeded \\(req_[0-9a-f]+\\); retrying in 50ms \\(retry-after-ms\\)");
    assertThat(result.errLines().get(1))
        .matches("attempt 2 failed: 503 server_error \\(req_[0-9a-f]+\\); retrying in \\d+ms \\(backoff\\)");
  }

  @Test
  void everyRetryAskedForIsMadeNoBudgetCutsItShort() {
    Cli.Result result = chat(Scenario.builder().reply("finally").script("503,503,503,503,503,200").build(),
        "--max-delay=10ms", "--jitter=none", "hi");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out().strip()).isEqualTo("finally");
    assertThat(result.errLines()).hasSize(5);
    assertThat(server.stats().totalRequests()).isEqualTo(6);
  }

  @Test
  void aCallWaitingAtTheOutageGateSaysSinceWhenTheEndpointFails() {
    server = MockServer.start(Scenario.builder().reply("back").script("503,503,503,503,503,503,503,503,503,503,200")
        .build());
    Cli.Result result = Cli.run(Map.of(), new VirtualTime(), "chat", "--base-url=" + server.baseUrl(),
        "--initial-delay=10ms", "--max-delay=10ms", "--max-retries=12", "--deadline=1m", "hi");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out().strip()).isEqualTo("back");
    assertThat(result.errLines()).hasSize(11);
    assertThat(result.errLines().get(10)).matches("waiting at the outage gate: the endpoint has been failing since "
        + "2026-01-01T00:00:00Z \\(for \\d+ms\\), 1 request waiting; giving up at the deadline, in 59\\.\\d\\ds");
    assertThat(server.stats().totalRequests()).as("ten failures, then the probe").isEqualTo(11);
  }

  @Test
  void messageWordsAreJoinedAndTheSystemMessageGoesFirst() {
    Cli.Result result = chat(Scenario.builder().build(), "--system", "be brief", "echo", "these", "words");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out().strip()).isEqualTo("echo these words");
  }

  @Test
  void quietHidesAttemptsAndVerboseAddsASummary() {
    Cli.Result quiet = chat(Scenario.builder().script("503,200").build(), "-q", "hi");
    assertThat(quiet.exit()).isEqualTo(0);
    assertThat(quiet.err()).isEmpty();
    server.close();

    Cli.Result verbose = chat(Scenario.builder().script("503,200").build(), "-v", "hi");
    assertThat(verbose.exit()).isEqualTo(0);
    assertThat(verbose.err()).contains("attempt 1 started", "attempt 1 failed: 503", "attempt 2 started")
        .containsPattern("done: 2 attempts in \\S+, waited \\S+, id chatcmpl-");
  }

  @Test
  void insufficientQuotaIsRejectedWithExit3AfterOneAttempt() {
    Cli.Result result = chat(Scenario.builder().script("quota").build(), "hi");

    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("error: 429 insufficient_quota");
    assertThat(server.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void aServerSayingDoNotRetryIsRejectedWithExit3() {
    Cli.Result result = chat(Scenario.builder().script("noretry:503").build(), "hi");

    assertThat(result.exit()).isEqualTo(3);
    assertThat(server.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void aBadRequestIsRejectedWithExit3() {
    Cli.Result result = chat(Scenario.builder().script("400").build(), "hi");

    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err()).contains("error: 400");
  }

  @Test
  void exhaustedRetriesGiveUpWithExit4() {
    Cli.Result result = chat(Scenario.builder().script("503,503,503,200").build(), "--max-retries", "2", "hi");

    assertThat(result.exit()).isEqualTo(4);
    assertThat(result.errLines()).filteredOn(line -> line.startsWith("attempt ")).hasSize(2);
    assertThat(result.err()).contains("error: 503 server_error").contains("gave up after 3 attempts")
        .contains("retries exhausted");
    assertThat(server.stats().requests()).extracting(RequestRecord::status).containsExactly(503, 503, 503);
  }

  @Test
  void aHintPastTheDeadlineGivesUpWithExit4() {
    // Virtual time: a real 300 ms can pass before the first request is out on a loaded machine.
    Cli.Result result = chat(Map.of(), new VirtualTime(), Scenario.builder().script("hint-ms:2000,200").build(),
        "--deadline", "300ms", "hi");

    assertThat(result.exit()).isEqualTo(4);
    assertThat(result.err()).contains("deadline");
    assertThat(server.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void streamPrintsTheTokensAsTheyArrive() {
    Cli.Result result = chat(Scenario.builder().reply("one two three four").streamChunks(4).build(), "--stream", "hi");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out()).isEqualTo("one two three four" + System.lineSeparator());
  }

  @Test
  void streamRetriesFailuresBeforeTheFirstToken() {
    Cli.Result result = chat(Scenario.builder().reply("ok then").script("503,200").build(), "--stream", "hi");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out().strip()).isEqualTo("ok then");
    assertThat(result.err()).startsWith("attempt 1 failed: 503");
  }

  @Test
  void aStreamCutAfterItsFirstTokensExitsWith5KeepingThePartialText() {
    Cli.Result result = chat(Scenario.builder().reply("alpha beta gamma delta").streamChunks(4).script("sse-cut:2")
        .build(), "--stream", "hi");

    assertThat(result.exit()).isEqualTo(5);
    assertThat(result.out()).isNotBlank();
    assertThat("alpha beta gamma delta").startsWith(result.out().strip());
    assertThat(result.err()).contains("stream interrupted");
    assertThat(server.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void jsonPrintsTheWholeResponse() throws Exception {
    Cli.Result result = chat(Scenario.builder().reply("Hi").build(), "--json", "--model", "gpt-4o-mini", "hi");

    assertThat(result.exit()).isEqualTo(0);
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.path("object").asText()).isEqualTo("chat.completion");
    assertThat(json.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hi");
    assertThat(json.path("usage").isObject()).isTrue();
  }

  @Test
  void theApiKeyNeverAppearsInAnyOutput() {
    String key = "sk-test-SECRET-4f1e9a";
    Map<String, String> env = Map.of(Environment.API_KEY, key);

    Cli.Result accepted = chat(env, Scenario.builder().apiKey(key).script("503,200").build(), "-v", "--json", "hi");
    assertThat(accepted.exit()).isEqualTo(0);
    assertThat(accepted.out() + accepted.err()).doesNotContain(key).doesNotContain("SECRET");
    server.close();

    Cli.Result refused = chat(env, Scenario.builder().apiKey("sk-other").build(), "-v", "--json", "hi");
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.err()).contains("401");
    assertThat(refused.out() + refused.err()).doesNotContain(key).doesNotContain("SECRET");
  }

  @Test
  void aKeyTheServerPutsInTheErrorCodeIsNeverPrinted() {
    String key = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"; // not sk-shaped: only the key itself can be masked
    Map<String, String> env = Map.of(Environment.API_KEY, key);
    for (int status : new int[] {401, 500}) {
      try (EchoingServer echo = EchoingServer.json(status, received -> "{\"error\":{\"message\":\"bad key " + received
          + "\",\"type\":\"" + received + "\",\"param\":\"" + received + "\",\"code\":\"" + received + "\"}}")) {
        Cli.Result result = Cli.run(env, "chat", "--base-url", echo.baseUrl(), "-v", "--max-retries", "1",
            "--initial-delay", "1ms", "hi");

        assertThat(result.exit()).isIn(3, 4);
        assertThat(result.err()).contains(String.valueOf(status)).contains("***");
        assertThat(result.out() + result.err()).doesNotContain(key).doesNotContain(key.substring(0, 12));
      }
    }
  }

  @Test
  void aKeyEchoedInASuccessfulReplyIsNotPrinted() {
    String key = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
    try (EchoingServer echo = EchoingServer.json(200, received -> "{\"id\":\"c\",\"object\":\"chat.completion\","
        + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"you are "
        + received + "\"},\"finish_reason\":\"stop\"}]}")) {
      for (String json : new String[] {"--json", "--verbose"}) {
        Cli.Result result = Cli.run(Map.of(Environment.API_KEY, key), "chat", "--base-url", echo.baseUrl(), json, "hi");

        assertThat(result.exit()).isEqualTo(0);
        assertThat(result.out()).contains("you are ***");
        assertThat(result.out() + result.err()).doesNotContain(key);
      }
    }
  }

  @Test
  void aMissingKeyForARemoteServerIsAConfigurationErrorNamingTheVariable() {
    Cli.Result result = Cli.run("chat", "--base-url", "https://api.example.invalid/v1", "hi");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("OPENAI_API_KEY is not set");
  }

  @Test
  void theBaseUrlComesFromTheEnvironmentWhenNotGiven() {
    server = MockServer.start(Scenario.builder().reply("from env").build());

    Cli.Result result = Cli.run(Map.of(Environment.BASE_URL, server.baseUrl()), "chat", "hi");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out().strip()).isEqualTo("from env");
  }

  @Test
  void loopbackAddressesNeedNoKey() {
    assertThat(ClientFactory.isLoopback("http://127.0.0.1:8000/v1")).isTrue();
    assertThat(ClientFactory.isLoopback("http://localhost:11434/v1")).isTrue();
    assertThat(ClientFactory.isLoopback("http://[::1]:8000/v1")).isTrue();
    assertThat(ClientFactory.isLoopback("https://api.openai.com/v1")).isFalse();
    assertThat(ClientFactory.isLoopback("http://10.0.0.1/v1")).isFalse();
  }

  @Test
  void aBadDurationIsAUsageErrorNamingTheOption() {
    Cli.Result result = Cli.run("chat", "--base-url", "http://127.0.0.1:9/v1", "--initial-delay", "soon", "hi");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--initial-delay").contains("'soon' is not a duration");
  }

  @Test
  void inconsistentRetrySettingsAreUsageErrors() {
    Cli.Result result = Cli.run("chat", "--base-url", "http://127.0.0.1:9/v1", "--initial-delay", "2s",
        "--max-delay", "1s", "hi");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--max-delay");

    Cli.Result jitter = Cli.run("chat", "--base-url", "http://127.0.0.1:9/v1", "--jitter", "lots", "hi");
    assertThat(jitter.exit()).isEqualTo(2);
    assertThat(jitter.err()).contains("--jitter");
  }

  @Test
  void aMissingMessageIsAUsageError() {
    Cli.Result result = Cli.run("chat");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("MESSAGE");
  }

  @Test
  void responsesUsesTheResponsesApiAndRetriesLikeChat() {
    Cli.Result result = chat(Scenario.builder().reply("Hi there").script("hint-ms:50,503,200").build(),
        "--responses", "-v", "--system", "be brief", "hi");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out()).isEqualTo("Hi there" + System.lineSeparator());
    assertThat(result.err()).contains("/v1/responses model gpt-4o", "attempt 1 failed: 429", "attempt 2 failed: 503")
        .containsPattern("done: 3 attempts in \\S+, waited \\S+, id resp_[0-9a-f]+, \\d+ input \\+ \\d+ output tokens");
    assertThat(server.stats().requests()).extracting(RequestRecord::path).containsOnly("/v1/responses");
  }

  @Test
  void responsesStreamPrintsTheDeltasAndAnInBandErrorBeforeThemIsRetried() {
    Cli.Result result = chat(Scenario.builder().reply("one two three four").streamChunks(4)
        .script("sse-rate-limit:2,200").build(), "--responses", "--stream", "hi");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out()).isEqualTo("one two three four" + System.lineSeparator());
    assertThat(result.err()).startsWith("attempt 1 failed: 429 rate_limit_exceeded");
    assertThat(server.stats().totalRequests()).isEqualTo(2);
  }

  @Test
  void aResponsesStreamFailingAfterItsFirstDeltaExitsWith5KeepingThePartialText() {
    Cli.Result result = chat(Scenario.builder().reply("alpha beta gamma delta").streamChunks(4)
        .script("sse-failed:6").build(), "--responses", "--stream", "hi");

    assertThat(result.exit()).isEqualTo(5);
    assertThat(result.out().strip()).isNotEmpty();
    assertThat("alpha beta gamma delta").startsWith(result.out().strip());
    assertThat(result.err()).contains("stream interrupted").contains("500 server_error");
    assertThat(server.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void responsesJsonStreamPrintsOneEventPerLine() throws Exception {
    Cli.Result result = chat(Scenario.builder().reply("ab").streamChunks(2).build(), "--responses", "--stream",
        "--json", "hi");

    assertThat(result.exit()).isEqualTo(0);
    java.util.List<String> types = new java.util.ArrayList<>();
    for (String line : result.out().split("\\R")) {
      types.add(new ObjectMapper().readTree(line).path("type").asText());
    }
    assertThat(types).startsWith("response.created").endsWith("response.completed")
        .contains("response.output_text.delta");
  }
}
