package dev.backoff4j.cli;

import dev.backoff4j.time.TimeSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command in-process with captured output, or as a child JVM. */
final class Cli {

  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
    }
  }

  private Cli() {}

  static Result run(Map<String, String> env, String... args) {
    return run(env, TimeSource.system(), args);
  }

  /** In-process, the clients' waits on {@code time}: a VirtualTime records them instead of sleeping. */
  static Result run(Map<String, String> env, TimeSource time, String... args) {
    CommandLine commandLine = Main.commandLine(env::get, time);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  static Result run(String... args) {
    return run(Map.of(), args);
  }

  /** A child JVM running {@code backoff4j args} on this test's class path, without OPENAI_* variables. */
  static ProcessBuilder process(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().remove(Environment.API_KEY);
    builder.environment().remove(Environment.BASE_URL);
    return builder;
  }
}
