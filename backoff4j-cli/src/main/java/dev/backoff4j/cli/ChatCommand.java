package dev.backoff4j.cli;

import dev.backoff4j.cli.AttemptPrinter.Verbosity;
import dev.backoff4j.openai.OpenAiClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.redis.RedisFleetPacing;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    sortOptions = false,
    header = "Send a message and print the reply, retrying as needed.",
    description = {
        "Sends MESSAGE to a chat model and prints the reply on stdout. Each failed attempt is one line "
            + "on stderr:",
        "  attempt 1 failed: 429 rate_limit_exceeded (req_abc); retrying in 1.03s (retry-after-ms)",
        "Rate limits (429) are waited out until --deadline, however many there are; --max-retries counts "
            + "other failures. When the endpoint keeps failing, the call waits at the outage gate and says so:",
        "  waiting at the outage gate: the endpoint has been failing since 2026-01-01T12:00:00Z (for 12.00s), "
            + "1 request waiting; giving up at the deadline, in 9m48s",
        "The key comes from $OPENAI_API_KEY; servers on 127.0.0.1 or localhost need none. "
            + "Durations are written like 500ms, 1.5s, 2m.",
        ""},
    exitCodeListHeading = "%nExit codes:%n")
final class ChatCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "MESSAGE", description = "The message; several words are joined with spaces.")
  List<String> message = new ArrayList<>();

  @Option(names = "--model", paramLabel = "MODEL", description = "Model (default: " + ChatRun.DEFAULT_MODEL + ").")
  String model = ChatRun.DEFAULT_MODEL;

  @Option(names = "--system", paramLabel = "TEXT", description = "A system message sent before MESSAGE.")
  String system;

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  @Mixin
  RetryOptions retry = new RetryOptions();

  @Mixin
  SharedPacingOptions shared = new SharedPacingOptions();

  @Option(names = "--stream", description = "Print the reply token by token as it arrives.")
  boolean stream;

  @Option(names = "--responses", description = "Use the Responses API (POST /responses) instead of chat "
      + "completions: --system becomes its instructions; --stream and --json work alike (--json --stream: one line per event).")
  boolean responses;

  @Option(names = "--json", description = "Print the whole response JSON instead of the text (with --stream: one line per event).")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Do not print failed attempts; errors are still printed.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Also print each attempt's start and a summary (attempts, waits, request id, tokens).")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (quiet && verbose) {
      throw new ConfigException("--quiet and --verbose cannot be used together");
    }
    AttemptPrinter printer = new AttemptPrinter(err, quiet ? Verbosity.QUIET : verbose ? Verbosity.VERBOSE : Verbosity.NORMAL,
        main.clients().credentials());
    RedisFleetPacing fleet = shared.open(main.environment(), err, quiet);
    try {
      // With a Redis, the call is paced with the fleet's (a lone chat has no pacer otherwise).
      Pacer pacer = fleet == null ? null
          : Pacer.builder().sharedStore(fleet).addListener(shared.outageLines(main.environment(), err)).build();
      return chat(main.clients().create(connection, retry, printer, pacer), printer, out, err);
    } finally {
      if (fleet != null) {
        fleet.close();
      }
    }
  }

  private int chat(OpenAiClient client, AttemptPrinter printer, PrintWriter out, PrintWriter err) {
    ChatRun run = new ChatRun(model, system, String.join(" ", message), stream, json, verbose, responses);
    if (verbose) {
      err.println("POST " + client.url(run.path()) + " model " + model + (stream ? " (stream)" : ""));
      err.flush();
    }
    return run.run(client, printer, out, err);
  }
}
