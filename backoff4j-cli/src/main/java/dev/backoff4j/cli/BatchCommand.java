package dev.backoff4j.cli;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.batch.BatchProgress;
import dev.backoff4j.openai.batch.BatchRunner;
import dev.backoff4j.openai.batch.InvalidBatchFileException;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.redis.RedisFleetPacing;
import dev.backoff4j.openai.spi.Credentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
            + "\"error\"}, each written as its request completes, one per custom_id. A request that fails for "
            + "good is written with its error, which says whether it was \"retryable\" (5xx, connection, "
            + "timeout, rate limit, deadline) or final (4xx, quota). Run the same command again to resume: "
            + "requests already in OUTPUT are skipped; with --retry-errors the retryable errors are sent again. "
            + "An existing OUTPUT that is not a batch output of INPUT is refused and left as it is.",
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

  @Option(names = "--retry-errors",
      description = "On resume, send again the requests whose line is a retryable error (their old lines are "
          + "removed first); final errors stay.")
  boolean retryErrors;

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

  @Mixin
  SharedPacingOptions shared = new SharedPacingOptions();

  @Option(names = "--progress-interval", paramLabel = "DUR", defaultValue = "5s", converter = DurationConverter.class,
      description = "How often a progress line is printed when stderr is not a terminal (default: ${DEFAULT-VALUE}).")
  Duration progressInterval;

  @Option(names = {"-q", "--quiet"}, description = "Print only the final summary.")
  boolean quiet;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.exists(input)) {
      throw new ConfigException("input " + input + " does not exist");
    }
    if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
      throw new ConfigException("input " + input + " is not a readable file");
    }
    if (progressInterval.isZero()) {
      throw new ConfigException("--progress-interval must be more than 0");
    }
    RedisFleetPacing fleet = shared.open(main.environment(), err, quiet);
    try {
      return run(err, fleet);
    } finally {
      if (fleet != null) {
        fleet.close();
      }
    }
  }

  private int run(PrintWriter err, RedisFleetPacing fleet) throws InterruptedException {
    Pacer pacer = pacer(fleet, err);
    OpenAiClient client = main.clients().create(connection, retry, CallListener.NONE, pacer);
    BatchProgressDisplay display = BatchProgressDisplay.create(err, output, quiet, progressInterval, pacer::stats,
        () -> client.pipeline().outageGate().map(gate -> gate.stats()));
    BatchRunner runner;
    try {
      runner = BatchRunner.builder().client(client).input(input).output(output).concurrency(concurrency)
          .retryErrors(retryErrors).listener(display).build();
    } catch (InvalidSettingException e) {
      throw Flags.translate(e);
    }
    List<String> credentials = Credentials.of(client.pipeline());
    BatchProgress result;
    try {
      result = runner.run();
    } catch (InvalidSettingException e) {
      throw Flags.translate(e);
    } catch (InvalidBatchFileException e) {
      display.stop();
      printError(err, e.getMessage(), credentials);
      return ExitCodes.USAGE;
    } catch (IOException e) {
      display.stop();
      // Only once sending began can a request be missing a line; before, nothing was sent.
      String hint = display.started() ? " (requests without a line in " + output + " are sent on the next run)" : "";
      printError(err, message(e) + hint, credentials);
      return ExitCodes.USAGE;
    } finally {
      display.stop();
    }
    display.summary(result);
    return result.allSucceeded() ? ExitCodes.OK : ExitCodes.GAVE_UP;
  }

  private static void printError(PrintWriter err, String message, List<String> credentials) {
    err.println(Credentials.mask("error: " + message, credentials));
    err.flush();
  }

  /** The JDK's file exceptions say only the path for some causes; say what happened. */
  private static String message(IOException e) {
    if (e instanceof NoSuchFileException missing && missing.getReason() == null) {
      return missing.getFile() + ": no such file or directory";
    }
    if (e instanceof AccessDeniedException denied && denied.getReason() == null) {
      return denied.getFile() + ": permission denied";
    }
    if (e instanceof FileSystemException other && other.getReason() == null) {
      return other.getFile() + ": " + e.getClass().getSimpleName();
    }
    return e.getMessage();
  }

  private Pacer pacer(RedisFleetPacing fleet, PrintWriter err) {
    try {
      Pacer.Builder builder = Pacer.builder();
      if (fleet != null) {
        builder.sharedStore(fleet).addListener(shared.outageLines(main.environment(), err));
      }
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
