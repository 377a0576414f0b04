package dev.backoff4j.cli;

import dev.backoff4j.openai.Version;
import dev.backoff4j.time.TimeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code backoff4j} command. */
@Command(name = "backoff4j", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = {
        "Calls OpenAI-compatible APIs the way they should be called: retries that honour the server's",
        "hints, back off with jitter, and stop when retrying cannot help.",
        "Try: backoff4j demo"},
    subcommands = {ChatCommand.class, DemoCommand.class, MockCommand.class, BatchCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n")
public final class Main implements Runnable {

  private final Environment environment;
  private final TimeSource time;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  Main(Environment environment, TimeSource time) {
    this.environment = environment;
    this.time = time;
  }

  public static void main(String[] args) {
    System.exit(commandLine(Environment.system()).execute(args));
  }

  /** The command line with its subcommands, exit-code list and error handling, reading {@code environment}. */
  static CommandLine commandLine(Environment environment) {
    return commandLine(environment, TimeSource.system());
  }

  /** As {@link #commandLine(Environment)}, the clients' waits on {@code time} (a VirtualTime in tests). */
  static CommandLine commandLine(Environment environment, TimeSource time) {
    CommandLine commandLine = new CommandLine(new Main(environment, time));
    commandLine.setUsageHelpWidth(100);
    Map<String, String> exitCodes = new LinkedHashMap<>();
    for (String line : ExitCodes.HELP) {
      int colon = line.indexOf(':');
      exitCodes.put(line.substring(0, colon), line.substring(colon + 1));
    }
    withSubcommands(commandLine, exitCodes);
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException) {
        cmd.getErr().println("error: " + e.getMessage());
        cmd.getErr().println("(see " + cmd.getCommandSpec().qualifiedName() + " --help)");
        cmd.getErr().flush();
        return ExitCodes.USAGE;
      }
      cmd.getErr().println("error: unexpected " + e);
      e.printStackTrace(cmd.getErr());
      cmd.getErr().flush();
      return ExitCodes.UNEXPECTED;
    });
    return commandLine;
  }

  private static void withSubcommands(CommandLine commandLine, Map<String, String> exitCodes) {
    if (!(commandLine.getCommand() instanceof CommandLine.HelpCommand)) {
      commandLine.getCommandSpec().usageMessage().exitCodeList(exitCodes);
    }
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      withSubcommands(sub, exitCodes);
    }
  }

  Environment environment() {
    return environment;
  }

  /** How every command makes its client. */
  ClientFactory clients() {
    return new ClientFactory(environment, time);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** backoff4j's version, from the build. */
  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"backoff4j " + Version.get() + " (Java " + System.getProperty("java.version") + ")"};
    }
  }
}
