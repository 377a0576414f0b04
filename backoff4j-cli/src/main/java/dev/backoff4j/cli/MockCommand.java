package dev.backoff4j.cli;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "mock", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    sortOptions = false,
    header = "Run the fault-injecting mock OpenAI API.",
    description = {
        "Runs the fault-injecting mock OpenAI API in the foreground until Ctrl-C or SIGTERM. "
            + "The first line on stdout is exactly: listening on http://127.0.0.1:PORT/v1",
        "",
        "Serves POST /v1/chat/completions and POST /v1/responses (JSON, or SSE with \"stream\": true), "
            + "POST /v1/embeddings and GET /v1/models; every fault applies to each of them.",
        "",
        "Fault tokens for --script and --fault-rate: 200, 400..599, quota, hint-ms[:N], hint-s[:N], "
            + "hint-date[:N], hint-absurd, hint-negative, hint-garbage, retry:NNN, noretry:NNN, latency:DUR, stall, "
            + "reset, cut, malformed, sse-cut[:K], sse-error[:K], sse-failed[:K], sse-rate-limit[:K], html502, "
            + "outage:DUR (see backoff4j-mock/README.md). "
            + "--scenario FILE is the base: the other options override its settings, in any order.",
        ""},
    exitCodeListHeading = "%nExit codes:%n")
final class MockCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "Port on 127.0.0.1 (default: a free one).")
  int port;

  @Option(names = "--script", paramLabel = "LIST", description = "Faults for the next requests in order, e.g. 429,503,200.")
  String script;

  @Option(names = "--fault-rate", paramLabel = "SPEC", description = "Random faults, e.g. 500=0.1,reset=0.02.")
  String faultRate;

  @Option(names = "--rpm", paramLabel = "N", description = "Requests per window per API key, then 429s.")
  Long rpm;

  @Option(names = "--tpm", paramLabel = "N", description = "Tokens per window per API key, then 429s.")
  Long tpm;

  @Option(names = "--window", paramLabel = "DUR", converter = DurationConverter.class,
      description = "The rate-limit window (default: 60s).")
  Duration window;

  @Option(names = "--latency", paramLabel = "DUR", description = "Delay before answers: 200ms, 100ms..300ms or exp:200ms.")
  String latency;

  @Option(names = "--scenario", paramLabel = "FILE", description = "A scenario JSON file (see backoff4j-mock/README.md).")
  Path scenarioFile;

  @Option(names = "--api-key", paramLabel = "KEY", description = "Answer 401 to requests without this bearer key.")
  String apiKey;

  @Option(names = "--io-threads", paramLabel = "N", description = "Netty event-loop threads (default: one per core).")
  Integer ioThreads;

  @Override
  public Integer call() throws InterruptedException {
    MockServer server;
    try {
      server = server().start();
    } catch (UncheckedIOException e) {
      throw new ConfigException(e.getMessage(), e); // names the address and why, e.g. already in use
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "backoff4j-mock-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    out.println("listening on " + server.baseUrl());
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  /** The server the options describe, not yet started; each option is checked by the mock's own setters. */
  MockServer.Builder server() {
    MockServer.Builder server = MockServer.builder();
    apply("--port", () -> server.port(port));
    if (ioThreads != null) {
      apply("--io-threads", () -> server.ioThreads(ioThreads));
    }
    return server.scenario(scenario());
  }

  /**
   * The scenario the options describe: the {@code --scenario} file (or the defaults) with every other
   * option given laid over it, whatever their order on the command line. Each option is checked by
   * the mock's own parser and named on error.
   */
  Scenario scenario() {
    Scenario.Builder scenario = scenarioFile == null ? Scenario.builder() : apply("--scenario",
        () -> Scenario.fromJson(scenarioFile).toBuilder());
    if (script != null) {
      apply("--script", () -> scenario.script(script));
    }
    if (faultRate != null) {
      apply("--fault-rate", () -> scenario.faultRates(faultRate));
    }
    if (rpm != null) {
      apply("--rpm", () -> scenario.rpm(rpm));
    }
    if (tpm != null) {
      apply("--tpm", () -> scenario.tpm(tpm));
    }
    if (window != null) {
      apply("--window", () -> scenario.window(window));
    }
    if (latency != null) {
      apply("--latency", () -> scenario.latency(latency));
    }
    if (apiKey != null) {
      apply("--api-key", () -> scenario.apiKey(apiKey));
    }
    return scenario.build(); // every setting was checked as it was set
  }

  private static <T> T apply(String option, Supplier<T> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      throw new ConfigException(option + ": " + e.getMessage(), e);
    }
  }
}
