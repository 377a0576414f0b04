package dev.backoff4j.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.redis.RedisServerExtension;
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
 * Three JVMs on one Redis, each with its own store on the real wall clock: together they reserve
 * three times the bucket, and the schedule they are handed stays within the bucket's rate. Nobody
 * sleeps for the schedule; it is checked, not waited out. Bounded: 60 s for the children to start.
 */
class FleetAcrossProcessesTest {

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private static final int PROCESSES = 3;
  private static final int RESERVATIONS_EACH = 15;
  private static final int CAPACITY = 10;
  private static final Duration PERIOD = Duration.ofSeconds(1);

  @Test
  void threeProcessesShareOneBucketAtItsRate() throws Exception {
    String namespace = RedisServerExtension.freshNamespace();
    List<Process> children = new ArrayList<>();
    List<Long> sendTimes = new ArrayList<>();
    try {
      for (int i = 0; i < PROCESSES; i++) {
        children.add(startChild(namespace));
      }
      List<BufferedReader> outputs = new ArrayList<>();
      for (Process child : children) {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("child ready").isEqualTo("ready");
        outputs.add(out);
      }
      // All connected: start them together, so their reservations interleave.
      for (Process child : children) {
        OutputStream in = child.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      for (BufferedReader out : outputs) {
        for (int i = 0; i < RESERVATIONS_EACH; i++) {
          String line = out.readLine();
          assertThat(line).as("reservation line").startsWith("send ");
          sendTimes.add(Long.parseLong(line.substring("send ".length())));
        }
      }
      for (Process child : children) {
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }

    List<Long> sorted = sendTimes.stream().sorted().toList();
    assertThat(sorted).hasSize(PROCESSES * RESERVATIONS_EACH);
    // In any window from send i to send j, at most the capacity plus the refill of that window
    // (plus one unit for Bucket4j's rounding to whole nanoseconds).
    double perNano = CAPACITY / (double) PERIOD.toNanos();
    for (int i = 0; i < sorted.size(); i++) {
      for (int j = i; j < sorted.size(); j++) {
        double allowed = CAPACITY + perNano * (sorted.get(j) - sorted.get(i)) + 1;
        assertThat((double) (j - i + 1)).as("sends %d..%d", i, j).isLessThanOrEqualTo(allowed);
      }
    }
    // And the fleet was not held back: the last is due (45 - 10) refills after the first, give or
    // take how unevenly the three processes got going after "go".
    Duration span = Duration.ofNanos(sorted.get(sorted.size() - 1) - sorted.get(0));
    assertThat(span).isBetween(Duration.ofMillis(3450), Duration.ofMillis(4500));
  }

  private Process startChild(String namespace) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ReservingProcess.class.getName(),
            redis.url(), namespace, Integer.toString(RESERVATIONS_EACH))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** One member of the fleet: connect, wait for "go", reserve, print each reservation's due time. */
  static final class ReservingProcess {
    public static void main(String[] args) throws Exception {
      String url = args[0];
      String namespace = args[1];
      int count = Integer.parseInt(args[2]);
      LimitScope scope = LimitScope.of("https://fleet.test/v1", "shared-key", "model");
      ScopeLimits limits = ScopeLimits.requestsOnly(BucketLimit.of(CAPACITY, PERIOD));
      FleetStoreSettings settings = FleetStoreSettings.builder(url)
          .keyPrefix(namespace)
          .operationTimeout(Duration.ofSeconds(5))
          .connectTimeout(Duration.ofSeconds(5))
          .build();
      try (RedisFleetStore store = RedisFleetStore.connect(settings)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!store.connection().get(10, TimeUnit.SECONDS)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no connection to " + url);
          }
        }
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();

        List<CompletableFuture<String>> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          lines.add(store.reserve(scope, limits, 0).thenApply(result -> "send " + result.value().dueAtEpochNanos()));
        }
        for (CompletableFuture<String> line : lines) {
          System.out.println(line.get(10, TimeUnit.SECONDS));
        }
        System.out.flush();
      }
    }
  }
}
