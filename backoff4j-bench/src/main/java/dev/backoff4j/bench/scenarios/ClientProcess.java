package dev.backoff4j.bench.scenarios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The parent's handle on one {@link ClientProcessMain}: a JVM on this JVM's class path, its stdout
 * read line by line (the protocol), its stderr kept in a temp file for failure messages. Closing it
 * kills the process if it still runs. Not thread-safe.
 */
final class ClientProcess implements AutoCloseable {

  private static final String EOF = "\u0000eof";
  private static final String RESULT = "result ";

  private final String name;
  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ClientProcess(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::readStdout, "client-process-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code java <jvmOptions> -cp <this class path> ClientProcessMain <arguments>}.
   *
   * @param name for messages, e.g. {@code "backoff4j-paced #2"}
   */
  static ClientProcess start(String name, List<String> jvmOptions, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ClientProcessMain.class.getName());
    command.addAll(arguments);
    try {
      Path stderr = Files.createTempFile("backoff4j-bench-client-", ".err");
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      return new ClientProcess(name, process, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
    }
  }

  /** Waits until the process has printed {@code ready}. */
  void awaitReady(Duration timeout) {
    String line = next(timeout, "ready");
    if (!line.equals("ready")) {
      throw failure("said '" + line + "' instead of 'ready'");
    }
  }

  /** Tells the process to start its run. */
  void go() {
    try {
      OutputStream in = process.getOutputStream();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw failure("could not be told to go (" + e.getMessage() + ")");
    }
  }

  /** Waits for the process's result line. */
  ChildReport awaitResult(Duration timeout) {
    String line = next(timeout, "its result");
    if (!line.startsWith(RESULT)) {
      throw failure("said '" + abbreviate(line) + "' instead of its result");
    }
    return ChildReport.fromJson(line.substring(RESULT.length()));
  }

  private String next(Duration timeout, String what) {
    String line;
    try {
      line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for " + what);
    }
    if (line == null) {
      throw failure("sent no " + what + " within " + timeout.toMillis() + " ms");
    }
    if (line.equals(EOF)) {
      throw failure("ended before " + what);
    }
    return line;
  }

  private void readStdout() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // The process died; EOF says so.
    } finally {
      lines.add(EOF);
    }
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException("client process " + name + " " + what + "; its stderr ends:\n" + stderrTail());
  }

  String stderrTail() {
    try {
      List<String> all = Files.readAllLines(stderr, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static String abbreviate(String line) {
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** Kills the process if it still runs and removes its stderr file. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(stderr);
    } catch (IOException ignored) {
      // A temp file left behind is not worth failing a run for.
    }
  }
}
