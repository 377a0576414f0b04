package dev.backoff4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three JVMs, each a client with a pacer shared through one real redis-server, against one
 * rate-limiting server (backoff4j-mock, 127.0.0.1) with the same key: together they stay under the
 * limit and every request succeeds. Bounded: the children are killed if they take longer than 90 s
 * (starting three JVMs on a loaded 2-core machine takes most of that).
 */
class FleetPacingAcrossProcessesTest {

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private static final int PROCESSES = 3;
  private static final int REQUESTS_EACH = 40;
  /** 40 requests per 2 s window: a burst of 40, then 20 a second; the fleet sends 120 in about 4 s. */
  private static final Scenario LIMITED = Scenario.builder().rpm(40).tpm(100_000_000).window(Duration.ofSeconds(2))
      .latency(Duration.ofMillis(20)).requestLogCapacity(0).build();

  @Test
  void threeProcessesSharingOneLimitThroughRedisStayUnderIt() throws Exception {
    String namespace = RedisServerExtension.freshNamespace();
    List<Process> children = new ArrayList<>();
    try (MockServer server = MockServer.start(LIMITED)) {
      for (int i = 0; i < PROCESSES; i++) {
        children.add(startChild(server.baseUrl(), namespace));
      }
      List<BufferedReader> outputs = new ArrayList<>();
      for (Process child : children) {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(readLine(out, Duration.ofSeconds(60))).as("child ready").isEqualTo("ready");
        outputs.add(out);
      }
      server.reset(); // nothing the children's start-up did counts
      for (Process child : children) {
        OutputStream in = child.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      List<String> results = new ArrayList<>();
      for (BufferedReader out : outputs) {
        results.add(readLine(out, Duration.ofSeconds(30)));
      }
      for (Process child : children) {
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
      }
      assertThat(results).as("each child's result").containsOnly("done " + REQUESTS_EACH + " ok, 0 failed");
      assertThat(server.stats().count(200)).isEqualTo(PROCESSES * REQUESTS_EACH);
      // Alone, each process would take the server's first burst of 40 for itself (see FleetPacingTest).
      assertThat(server.stats().count(429)).as("429s across the three processes").isLessThanOrEqualTo(3);
    } finally {
      children.forEach(Process::destroyForcibly);
    }
  }

  /** A line from a child within {@code limit}; a child that hangs fails the test instead of stalling it. */
  private static String readLine(BufferedReader out, Duration limit) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).get(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Process startChild(String baseUrl, String namespace) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            MemberProcess.class.getName(), baseUrl, redis.url(), namespace, Integer.toString(REQUESTS_EACH))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** One member: a client with a Redis-shared pacer; connect, say ready, wait for "go", send, report. */
  static final class MemberProcess {
    public static void main(String[] args) throws Exception {
      String baseUrl = args[0];
      String redisUrl = args[1];
      String namespace = args[2];
      int requests = Integer.parseInt(args[3]);
      try (Fleet fleet = new Fleet(1, baseUrl, redisUrl, namespace, b -> b)) {
        // Warm the client up (class loading), on a model of its own so the limit's scope starts fresh.
        fleet.members.get(0).client().models().list();
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        List<String> failures = fleet.run(requests, 4, Duration.ofSeconds(25));
        failures.forEach(System.err::println);
        System.out.println("done " + (requests - failures.size()) + " ok, " + failures.size() + " failed");
        System.out.flush();
      }
      System.exit(0);
    }
  }
}
