package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario's quick mode, end to end through {@link ScenarioMain} against the mock on 127.0.0.1,
 * with two contenders each (together all five, and both backoff4j rows more than once; each
 * contender's blocking, async and deadline paths are also in {@link ContendersAgainstMockTest}).
 * Checks that rows, verdicts and files come out, not the numbers: those depend on the machine. The
 * process-based scenarios start JVMs, hence their longer bounds.
 */
class QuickModeEndToEndTest {

  @TempDir Path results;

  private ScenarioMain.Suite run(String scenario, String... contenders) throws Exception {
    ScenarioMain.Options options = new ScenarioMain.Options(Settings.quick(), List.of(scenario), List.of(contenders),
        results, "test");
    ScenarioMain.Suite suite = ScenarioMain.run(options);
    for (String contender : contenders) {
      Row row = suite.rows().stream().filter(r -> r.scenario().equals(scenario) && r.contender().equals(contender))
          .findFirst().orElseThrow(() -> new AssertionError("no row for " + scenario + " × " + contender));
      assertThat(row.get("harness_error")).as("%s × %s: harness error", scenario, contender).isNull();
      assertThat(row.get("not_run")).as("%s × %s: not run", scenario, contender).isNull();
      assertThat(row.number("attempts")).as("%s × %s: the mock saw its requests", scenario, contender).isPositive();
      if (Contenders.isBackoff4j(contender)) {
        assertThat(suite.verdicts()).filteredOn(v -> v.target().scenario().equals(scenario)
                && v.target().contender().equals(contender))
            .isNotEmpty()
            .allMatch(v -> v.status() != Targets.Status.NOT_RUN, "measured, met or missed");
      }
    }
    String json = Files.readString(suite.json());
    assertThat(json).contains("\"rows\"", "\"targets\"", "\"scenario\" : \"" + scenario + "\"");
    return suite;
  }

  @Test
  void s1BulkAtTheLimit() throws Exception {
    run("S1", Contenders.RECIPE, Contenders.BACKOFF4J_PACED);
    assertThat(results.resolve("s1-throughput.svg")).content().startsWith("<svg").contains("limit 200/s");
  }

  @Test
  void s2OutageShorterThanTheDeadline() throws Exception {
    ScenarioMain.Suite suite = run("S2", Contenders.OPENAI_JAVA, Contenders.BACKOFF4J);
    assertThat(suite.rows()).allMatch(r -> r.number("attempts_during_outage") > 0, "attempts met the outage");
    assertThat(results.resolve("s2-outage.svg")).content().contains("outage", "offered 100/s");
  }

  @Test
  void s2LongOutageLongerThanTheDeadline() throws Exception {
    ScenarioMain.Suite suite = run("S2-long", Contenders.RESILIENCE4J, Contenders.BACKOFF4J_PACED);
    // The endpoint never comes back: nothing can succeed.
    assertThat(suite.rows()).allMatch(r -> r.number("succeeded") == 0 && r.number("failed") == r.number("requests"));
  }

  @Test
  void s3Flaky() throws Exception {
    ScenarioMain.Suite suite = run("S3", Contenders.RESILIENCE4J, Contenders.BACKOFF4J);
    assertThat(suite.rows()).allMatch(r -> r.number("p99_ms") >= r.number("p99_successes_ms")
        || r.number("success_rate") == 0, "charging failures never lowers p99");
  }

  @Test
  void s4Quota() throws Exception {
    run("S4", Contenders.OPENAI_JAVA, Contenders.BACKOFF4J_PACED);
  }

  @Test
  void s5FleetInOneJvm() throws Exception {
    ScenarioMain.Suite suite = run("S5", Contenders.RECIPE, Contenders.BACKOFF4J);
    assertThat(suite.rows()).allMatch(r -> r.number("clients") == Settings.quick().s5().clients());
    assertThat(results.resolve("s5-fleet.svg")).content().startsWith("<svg");
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void s5FleetOfProcessesWithAndWithoutRedis() throws Exception {
    ScenarioMain.Suite suite = run(FleetProcessesScenario.ID, Contenders.BACKOFF4J_PACED);
    assertThat(suite.rows()).filteredOn(r -> r.contender().equals(Contenders.BACKOFF4J_PACED))
        .singleElement().matches(r -> r.number("processes") == Settings.quick().s5().clients() && "none".equals(r.get("redis")));
    // The Redis rows run when the shared pacer exists, and say why not when it does not: never silently absent.
    Optional<String> unavailable = SharedPacing.unavailable();
    for (String redis : List.of(FleetProcessesScenario.REDIS, FleetProcessesScenario.REDIS_KILLED)) {
      Row row = suite.rows().stream().filter(r -> r.contender().equals(redis)).findFirst().orElseThrow();
      if (unavailable.isPresent()) {
        assertThat(row.get("not_run")).isEqualTo(unavailable.get());
      } else {
        assertThat(row.get("harness_error")).isNull();
        assertThat(row.number("attempts")).isPositive();
      }
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void s6Burst() throws Exception {
    ScenarioMain.Suite suite = run("S6", Contenders.OPENAI_JAVA, Contenders.BACKOFF4J);
    assertThat(suite.rows()).allMatch(r -> r.number("peak_threads") >= r.number("threads_before")
        && r.number("threads_before") > 0, "thread counts from the client's JVM");
  }
}
