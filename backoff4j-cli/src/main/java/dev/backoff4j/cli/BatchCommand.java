package dev.backoff4j.cli;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.batch.BatchProgress;
import dev.backoff4j.openai.batch.BatchRunner;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import dev.backoff4j.openai.pacing.Pacer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "batch", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    sortOptions = false,
    header = "Run an OpenAI Batch API file, resumably, with pacing and retries.",
    description = {
        "Sends every request of an OpenAI Batch API input file and writes one result line per request.",
        "",
        "Input lines: {\"custom_id\": \"r1\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", "
            + "\"body\": {...}}; the url may also be /v1/embeddings, /v1/completions, /v1/responses or "
            + "/v1/moderations. The whole file is checked first: invalid lines are listed with their numbers "
            + "and nothing is sent.",
        "",
        "Output lines: {\"id\", \"custom_id\", \"response\": {\"status_code\", \"request_id\", \"body\"}, "
            + "\"error\"}, each written as its request completes. A request that fails for good is written "
            + "with its error. Run the same command again to resume: requests already in OUTPUT are skipped.",
        "",
        "Requests are paced to stay under the rate limits: seeded by --rpm/--tpm, then learned from the "
            + "server's x-ratelimit-* headers and 429s, per model; until the first answer teaches the limits, "
            + "requests start one at a time and ramp up. Each request is retried as chat retries; "
            + "there is no shared retry budget (the concurrency limit already bounds the load).",
        "",
        "When the endpoint keeps failing (10 transient failures in a row), requests wait at an outage gate "
            + "while one probe at a time tries it; the progress line shows the gate, and the waiting requests "
            + "are let through a few at a time once it answers.",
        ""},
    exitCodeListHeading = "%nExit codes:%n")
final class BatchCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INPUT.jsonl", description = "Batch input file.")
  Path input;

  @Option(names = {"-o", "--output"}, paramLabel = "OUTPUT.jsonl", required = true,
      description = "Results file; created, or resumed if it exists.")
  Path output;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
      description = "Requests in flight at once, waits for retries included (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--rpm", paramLabel = "N",
      description = "Requests per minute to assume before the server's x-ratelimit headers tell the real limit.")
  Double rpm;

  @Option(names = "--tpm", paramLabel = "N",
      description = "Tokens per minute to assume before the server's x-ratelimit headers tell the real limit.")
  Double tpm;

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  @Mixin
  RetryOptions retry = new RetryOptions();

  @Option(names = "--progress-interval", paramLabel = "DUR", defaultValue = "5s", converter = DurationConverter.class,
      description = "How often a progress line is printed when stderr is not a terminal (default: ${DEFAULT-VALUE}).")
  Duration progressInterval;

  @Option(names = {"-q", "--quiet"}, description = "Print only the final summary.")
  boolean quiet;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(input)) {
      throw new ConfigException("input " + input + " is not a readable file");
    }
    if (progressInterval.isZero()) {
      throw new ConfigException("--progress-interval must be more than 0");
    }
    Pacer pacer = pacer();
    OpenAiClient client = main.clients().create(connection, retry, CallListener.NONE, pacer);
    BatchProgressDisplay display = BatchProgressDisplay.create(err, output, quiet, progressInterval, pacer::stats,
        () -> client.pipeline().outageGate().map(gate -> gate.stats()));
    BatchRunner runner;
    try {
      runner = BatchRunner.builder().client(client).input(input).output(output).concurrency(concurrency)
          .listener(display).build();
    } catch (InvalidSettingException e) {
      throw Flags.translate(e);
    }
    BatchProgress result;
    try {
      result = runner.run();
    } catch (InvalidBatchFileException e) {
      display.stop();
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    } catch (IOException e) {
      display.stop();
      err.println("error: " + e.getMessage() + " (requests without a line in " + output + " are sent on the next run)");
      err.flush();
      return ExitCodes.USAGE;
    } finally {
      display.stop();
    }
    display.summary(result);
    return result.allSucceeded() ? ExitCodes.OK : ExitCodes.GAVE_UP;
  }

  private Pacer pacer() {
    try {
      Pacer.Builder builder = Pacer.builder();
      if (rpm != null) {
        builder.requestsPerMinute(rpm);
      }
      if (tpm != null) {
        builder.tokensPerMinute(tpm);
      }
      return builder.build();
    } catch (InvalidSettingException e) {
      throw Flags.translate(e);
    }
  }
}
