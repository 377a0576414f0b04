package dev.backoff4j.redis.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} process on 127.0.0.1, started and killed on demand, always on the same
 * port, so a test can kill Redis mid-run and bring it back where its clients will find it.
 *
 * <p>Redis runs under a small {@code /bin/sh} watchdog that reads the JVM's pipe: when the pipe
 * closes — because {@link #kill()} closed it, or because the JVM died, even by {@code kill -9} —
 * the watchdog kills Redis. So no test outcome, not even a crashed fork, leaves a redis-server
 * behind. Redis itself is configured to write nothing but its log: no RDB snapshots ({@code save
 * ""}), no AOF, its working directory a private temp directory removed by {@link #close()}.
 *
 * <p>Not thread-safe: call it from one thread (a test's, or the benchmark's).
 */
public final class RedisServerProcess implements AutoCloseable {

  /**
   * Runs {@code $0 "$@"} (the redis-server and its arguments) in the background with its output in
   * {@code $B4J_REDIS_LOG}, prints its pid, and exits with its status. A second background job
   * waits for EOF on the JVM's pipe (fd 3, a copy of stdin, because a background job's own stdin
   * is /dev/null) and then kills Redis. Redis gets neither the pipe nor a terminal.
   */
  private static final String WATCHDOG =
      "exec 3<&0\n"
          + "\"$0\" \"$@\" >\"$B4J_REDIS_LOG\" 2>&1 </dev/null 3<&- &\n"
          + "redis=$!\n"
          + "( while read -r _ <&3; do :; done; kill -9 \"$redis\" 2>/dev/null ) >/dev/null 2>&1 &\n"
          + "watcher=$!\n"
          + "echo \"$redis\"\n"
          + "wait \"$redis\"; status=$?\n"
          + "kill \"$watcher\" 2>/dev/null\n"
          + "exit \"$status\"\n";

  private static final int PORT_ATTEMPTS = 5;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final RedisBinary binary;
  private final int port;
  private final Path directory;
  private final Path log;

  private Process watchdog;
  private long redisPid = -1;

  public RedisServerProcess(RedisBinary binary, int port) {
    this.binary = binary;
    this.port = port;
    try {
      this.directory = Files.createTempDirectory("backoff4j-redis-" + port + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.log = directory.resolve("redis.log");
  }

  /**
   * Starts a server on a free 127.0.0.1 port and returns it running. Another process may take the
   * port between the probe and Redis's bind, so up to 5 ports are tried.
   *
   * @throws IllegalStateException with the last attempt's log tail if none starts
   */
  public static RedisServerProcess startOnFreePort(RedisBinary binary) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      RedisServerProcess candidate = new RedisServerProcess(binary, freePort());
      try {
        candidate.start();
        return candidate;
      } catch (IllegalStateException e) {
        candidate.close();
        last = e;
      }
    }
    throw last;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** The URL clients connect to, {@code redis://127.0.0.1:<port>} (valid across kill and restart). */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The redis-server's own pid while it runs, else -1. */
  public long pid() {
    return isRunning() ? redisPid : -1;
  }

  public boolean isRunning() {
    return watchdog != null && watchdog.isAlive();
  }

  /**
   * Starts Redis and returns once it answers {@code PING}.
   *
   * @throws IllegalStateException if it exits or does not answer within 10 s; the message carries
   *     the end of its log (e.g. "Address already in use")
   */
  public void start() {
    if (isRunning()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add("/bin/sh");
    command.add("-c");
    command.add(WATCHDOG);
    command.add(binary.path().toString());
    command.addAll(arguments());
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().put("B4J_REDIS_LOG", log.toString());
    builder.redirectErrorStream(true);
    try {
      Files.deleteIfExists(log);
      watchdog = builder.start();
      Spawned.track(this);
      BufferedReader out =
          new BufferedReader(new InputStreamReader(watchdog.getInputStream(), StandardCharsets.US_ASCII));
      String pidLine = out.readLine();
      if (pidLine == null) {
        throw failure("the watchdog shell printed no pid");
      }
      redisPid = Long.parseLong(pidLine.trim());
    } catch (IOException | NumberFormatException e) {
      kill();
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    }
    awaitReady();
  }

  private List<String> arguments() {
    return List.of(
        "--port", Integer.toString(port),
        // Loopback only, whatever a redis.conf on the machine might say: nothing else can reach it.
        "--bind", "127.0.0.1",
        "--protected-mode", "yes",
        // Nothing on disk: no snapshots, no append-only file, and the working directory our own.
        "--save", "",
        "--appendonly", "no",
        "--dir", directory.toString(),
        "--daemonize", "no",
        "--logfile", "",
        "--loglevel", "warning");
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!watchdog.isAlive()) {
        IllegalStateException failure = failure("redis-server exited with status " + watchdog.exitValue());
        kill();
        throw failure;
      }
      if (RespPing.ping("127.0.0.1", port, Duration.ofMillis(200))) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new IllegalStateException("interrupted while starting redis-server", e);
      }
    }
    IllegalStateException failure = failure("redis-server did not answer PING on port " + port + " within " + START_TIMEOUT);
    kill();
    throw failure;
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException(what + " (" + binary + "); its log ends:\n" + logTail());
  }

  public String logTail() {
    try {
      if (!Files.exists(log)) {
        return "(no log)";
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /**
   * Kills Redis at once, as a crash would (SIGKILL, no shutdown), and returns once the process is
   * gone and the port refuses connections. Idempotent.
   */
  public void kill() {
    Process running = watchdog;
    if (running == null) {
      return;
    }
    try {
      // EOF on the pipe is the watchdog's signal to kill Redis; then the watchdog exits too.
      OutputStream pipe = running.getOutputStream();
      pipe.close();
    } catch (IOException ignored) {
      // The watchdog is gone already.
    }
    try {
      if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        // Should not happen; never leave a redis-server behind.
        ProcessHandle.of(redisPid).ifPresent(ProcessHandle::destroyForcibly);
        running.destroyForcibly();
        running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      ProcessHandle.of(redisPid).ifPresent(ProcessHandle::destroyForcibly);
      running.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      watchdog = null;
      Spawned.untrack(this);
    }
  }

  /** Kills Redis if it runs and deletes its directory. */
  @Override
  public void close() {
    kill();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // A temp directory left behind is not worth failing a test for.
    }
  }

  /** Files Redis wrote into its working directory; a test checks that there are none but the log. */
  public List<Path> filesWritten() {
    try (var files = Files.list(directory)) {
      return files.filter(path -> !path.equals(log)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path directory() {
    return directory;
  }

  @Override
  public String toString() {
    return "redis-server on 127.0.0.1:" + port + " (" + binary.origin() + ")";
  }

  /** Kills every server still running when the JVM exits normally (the watchdog covers the rest). */
  private static final class Spawned {
    private static final java.util.Set<RedisServerProcess> RUNNING =
        java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> RUNNING.forEach(RedisServerProcess::kill), "redis-server-cleanup"));
    }

    static void track(RedisServerProcess process) {
      RUNNING.add(process);
    }

    static void untrack(RedisServerProcess process) {
      RUNNING.remove(process);
    }
  }
}
