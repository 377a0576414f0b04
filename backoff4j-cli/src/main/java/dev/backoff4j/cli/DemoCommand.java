package dev.backoff4j.cli;

import dev.backoff4j.cli.AttemptPrinter.Verbosity;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.retry.event.Succeeded;
import dev.backoff4j.time.Durations;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    header = "Watch a call survive a 429 and a 503 (local mock, no key, ~3 s).",
    description = {
        "Shows a call surviving the way real APIs misbehave, with no key and no network: starts a mock "
            + "OpenAI API on a random 127.0.0.1 port that answers 429 (retry-after-ms: 1000), then 503, then "
            + "the reply, and runs chat against it with the attempts visible. Takes about 3 seconds.",
        ""},
    exitCodeListHeading = "%nExit codes:%n")
final class DemoCommand implements Callable<Integer> {

  static final String SCRIPT = "hint-ms:1000,503,200";
  static final String REPLY = "Hello! This reply got through a rate limit and a server error.";

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Scenario scenario = Scenario.builder().reply(REPLY).script(SCRIPT).build();
    try (MockServer server = MockServer.start(scenario)) {
      out.println("mock OpenAI API at " + server.baseUrl() + ", scripted: 429 with retry-after-ms 1000, 503, then 200");
      out.println("$ backoff4j chat --base-url " + server.baseUrl() + " \"Say hello\"");
      out.flush();
      ConnectionOptions connection = new ConnectionOptions();
      connection.baseUrl = server.baseUrl();
      AttemptPrinter printer = new AttemptPrinter(out, Verbosity.NORMAL);
      OpenAiClient client = main.clients().create(connection, new RetryOptions(), printer, null);
      int status = new ChatRun(ChatRun.DEFAULT_MODEL, null, "Say hello", false, false, false)
          .run(client, printer, out, err);
      Succeeded done = printer.success();
      if (status == ExitCodes.OK && done != null) {
        out.println("ok: " + done.attempts() + " attempts, waited " + Durations.format(done.totalWaited())
            + " in total (" + Durations.format(printer.waitedForServer()) + " as the server asked, "
            + Durations.format(printer.waitedBackoff()) + " backoff), " + Durations.format(done.elapsed()) + " overall");
        out.flush();
      }
      return status;
    }
  }
}
