package dev.backoff4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.redis.testkit.RedisBinary;
import dev.backoff4j.redis.testkit.RedisServerProcess;
import dev.backoff4j.redis.testkit.RespPing;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RedisServerExtensionTest {

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void serverListensOnLoopbackOnlyAndWritesNothingToDisk() {
    redis.assumeRestartable();
    RedisClient client = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> commands = connection.sync();
      assertThat(commands.configGet("bind")).containsEntry("bind", "127.0.0.1");
      assertThat(commands.configGet("save")).containsEntry("save", "");
      assertThat(commands.configGet("appendonly")).containsEntry("appendonly", "no");
      Map<String, String> dir = commands.configGet("dir");
      assertThat(Path.of(dir.get("dir")).toRealPath().toString())
          .isEqualTo(redis.process().directory().toAbsolutePath().toString())
          .doesNotStartWith(Path.of("").toAbsolutePath().toString());
      commands.set("some-key", "some-value");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    redis.kill();
    assertThat(redis.process().filesWritten()).isEmpty();
  }

  @Test
  void killRefusesConnectionsAndRestartServesAgainOnTheSamePort() {
    redis.assumeRestartable();
    int port = redis.process().port();
    long firstPid = redis.pid();
    assertThat(RespPing.ping("127.0.0.1", port, Duration.ofMillis(500))).isTrue();

    redis.kill();

    assertThat(redis.isRunning()).isFalse();
    assertThat(RespPing.ping("127.0.0.1", port, Duration.ofMillis(200))).isFalse();
    assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

    redis.restart();

    assertThat(redis.process().port()).isEqualTo(port);
    assertThat(RespPing.ping("127.0.0.1", port, Duration.ofMillis(500))).isTrue();
    assertThat(redis.pid()).isPositive().isNotEqualTo(firstPid);
  }

  @Test
  void aKilledTestJvmLeavesNoRedisServerBehind() throws Exception {
    redis.assumeRestartable();
    String javaLauncher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(javaLauncher, "-cp", System.getProperty("java.class.path"),
            OrphanProbe.class.getName())
        .redirectErrorStream(true)
        .start();
    long redisPid;
    Path redisDir;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).as("the child JVM's first line").startsWith("redis-pid ");
      String[] parts = line.split(" ", 4);
      redisPid = Long.parseLong(parts[1]);
      redisDir = Path.of(parts[3]);
      assertThat(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive)).contains(true);
    } finally {
      // SIGKILL: no shutdown hooks run; only the watchdog can clean up.
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    try {
      assertThat(awaitGone(redisPid, Duration.ofSeconds(5)))
          .as("redis-server %d still alive after its JVM was killed", redisPid)
          .isTrue();
    } finally {
      // The killed JVM could not remove the server's temp directory; a test must not litter.
      try (var files = Files.walk(redisDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void anExternalUrlThatIsNotRedisIsRejectedByName() {
    RedisServerExtension external = new RedisServerExtension("http://127.0.0.1:6379");
    assertThatThrownBy(() -> external.beforeAll(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(RedisServerExtension.URL_VARIABLE);
  }

  @Test
  void anExternalServerCannotBeKilled() {
    RedisServerExtension external = new RedisServerExtension("redis://127.0.0.1:6379");
    external.beforeAll(null);
    assertThat(external.isRestartable()).isFalse();
    assertThat(external.url()).isEqualTo("redis://127.0.0.1:6379");
    assertThatThrownBy(external::kill).hasMessageContaining("external");
  }

  @Test
  void pathLookupFindsAnExecutableRedisServer(@TempDir Path dir) throws Exception {
    Path fake = dir.resolve("redis-server");
    Files.writeString(fake, "#!/bin/sh\n");
    assertThat(RedisBinary.findOnPath(dir.toString())).isNull();
    assertThat(fake.toFile().setExecutable(true)).isTrue();
    assertThat(RedisBinary.findOnPath("/nonexistent" + File.pathSeparator + dir)).isEqualTo(fake.toAbsolutePath());
    assertThat(RedisBinary.findOnPath("")).isNull();
  }

  private static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!isRunningProcess(pid)) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** Alive and not a zombie (a zombie has released its port and memory; only its entry remains). */
  private static boolean isRunningProcess(long pid) {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  /** Run in a child JVM: starts a server, prints its pid, then waits to be killed. */
  static final class OrphanProbe {
    public static void main(String[] args) throws Exception {
      RedisServerProcess process = new RedisServerProcess(RedisBinary.find(), freePort());
      process.start();
      System.out.println("redis-pid " + process.pid() + " dir " + process.directory());
      System.out.flush();
      Thread.sleep(60_000);
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      }
    }
  }
}
