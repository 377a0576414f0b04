package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void demoShowsARateLimitAndAServerErrorBeingSurvived() {
    VirtualTime time = new VirtualTime(); // the waits are recorded, not slept
    long start = System.nanoTime();
    Cli.Result result = Cli.run(Map.of(), time, "demo");
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(result.exit()).isEqualTo(0);
    List<String> lines = List.of(result.out().split("\\R"));
    assertThat(lines.get(0)).matches("mock OpenAI API at http://127\\.0\\.0\\.1:\\d+/v1, scripted: .*");
    assertThat(lines).anyMatch(line -> line.matches(
        "attempt 1 failed: 429 rate_limit_exceeded \\(req_\\w+\\); retrying in 1\\.00s \\(retry-after-ms\\)"));
    assertThat(lines).anyMatch(line -> line.matches(
        "attempt 2 failed: 503 server_error \\(req_\\w+\\); retrying in .+ \\(backoff\\)"));
    assertThat(lines).contains(DemoCommand.REPLY);
    assertThat(lines.get(lines.size() - 1)).matches("ok: 3 attempts, waited .+ in total \\(1\\.00s as the server asked, "
        + ".+ backoff\\), .+ overall");
    assertThat(time.sleeps()).hasSize(2).first().isEqualTo(Duration.ofSeconds(1));
    assertThat(millis).as("demo wall time").isLessThan(10_000);
  }
}
