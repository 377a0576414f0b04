package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.redis.testkit.RedisBinary;
import dev.backoff4j.redis.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * S5 as it happens in production: the same clients in separate JVMs ({@link ClientProcessMain}),
 * sharing one key at S1's limit. Every contender runs without Redis; {@code backoff4j-paced} also
 * runs with its pacer shared through a real redis-server (backoff4j-redis-testkit, 127.0.0.1, nothing
 * on disk), once undisturbed and once with Redis killed mid-run and restarted later.
 */
final class FleetProcessesScenario implements Scenarios.Bench {

  static final String ID = "S5-jvm";
  static final String REDIS = Contenders.BACKOFF4J_PACED + "+redis";
  static final String REDIS_KILLED = Contenders.BACKOFF4J_PACED + "+redis-killed";

  /** Generous: on a loaded 2-core machine a cold JVM can take a minute to load the SDK and warm up. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
  private static final Duration RESULT_GRACE = Duration.ofSeconds(30);

  private final Settings.Fleet settings;
  private final Settings.Bulk limit;
  private final Scenario mock;
  private final List<String> jvm;

  FleetProcessesScenario(Settings.Fleet settings, Settings.Bulk limit, List<String> jvm) {
    this.jvm = jvm;
    this.settings = settings;
    this.limit = limit;
    this.mock = BulkScenario.limited(limit);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    double best = Metrics.bestPossibleSeconds(settings.requests(), limit.requestsPerWindow(), limit.limitPerSecond());
    return String.format("fleet of processes: %d JVMs (ClientProcessMain, %s, each warmed up against the plain mock "
            + "with %s first), each with %,d requests in a closed loop of %d workers, all with the same key; %s. "
            + "Every contender without Redis; %s with its pacer shared through one redis-server, and %s with that Redis "
            + "killed at %.1f s and restarted at %.1f s (%.0f %% and %.0f %% of the best possible time). The processes "
            + "start together on \"go\"; their outcomes are put on one timeline by when each received it. %s",
        settings.clients(), String.join(" ", jvm), settings.childWarmUp(), settings.requestsPerClient(),
        settings.concurrencyPerClient(), BulkScenario.limitText(limit), REDIS, REDIS_KILLED,
        best * settings.redisKillAt(), best * settings.redisRestartAt(), settings.redisKillAt() * 100,
        settings.redisRestartAt() * 100, BulkFields.fieldsText());
  }

  @Override
  public Row run(Contender contender, MockServer server) {
    return runFleet(contender.name(), contender.name(), server, null, false);
  }

  @Override
  public List<Row> extraRows(MockServer server, List<Contender> contenders) {
    if (contenders.stream().noneMatch(c -> c.name().equals(Contenders.BACKOFF4J_PACED))) {
      return List.of();
    }
    Optional<String> unavailable = SharedPacing.unavailable();
    if (unavailable.isPresent()) {
      return List.of(notRun(REDIS, unavailable.get()), notRun(REDIS_KILLED, unavailable.get()));
    }
    try (RedisServerProcess redis = RedisServerProcess.startOnFreePort(RedisBinary.find())) {
      Row shared = runFleet(REDIS, Contenders.BACKOFF4J_PACED, server, redis, false);
      redis.kill(); // nothing on disk: a restart starts empty, so the second run shares nothing with the first
      redis.start();
      Row killed = runFleet(REDIS_KILLED, Contenders.BACKOFF4J_PACED, server, redis, true);
      return List.of(shared, killed);
    }
  }

  private Row notRun(String label, String why) {
    return new Row(ID, label).put("processes", settings.clients()).put("not_run", why);
  }

  private Row runFleet(String label, String contender, MockServer server, RedisServerProcess redis, boolean kill) {
    List<ClientProcess> children = new ArrayList<>();
    RedisDisruption disruption = null;
    try {
      // The children warm up against the plain mock, not whatever the previous run left installed.
      Scenarios.install(server, Scenario.builder().requestLogCapacity(0).build());
      for (int i = 0; i < settings.clients(); i++) {
        List<String> args = new ArrayList<>(List.of(
            "--contender", contender, "--base-url", server.baseUrl(), "--load", "closed",
            "--requests", Integer.toString(settings.requestsPerClient()),
            "--concurrency", Integer.toString(settings.concurrencyPerClient()),
            "--cut-off-ms", Long.toString(settings.cutOff().toMillis()),
            "--warm-up-calls", Integer.toString(settings.childWarmUp().calls()),
            "--warm-up-ms", Long.toString(settings.childWarmUp().atLeast().toMillis())));
        if (redis != null) {
          args.addAll(List.of("--redis", redis.url()));
        }
        children.add(ClientProcess.start(label + " #" + (i + 1), jvm, args));
      }
      for (ClientProcess child : children) {
        child.awaitReady(READY_TIMEOUT.plus(settings.childWarmUp().atLeast()));
      }
      Scenarios.install(server, mock);
      long go = System.nanoTime();
      children.forEach(ClientProcess::go);
      if (kill) {
        double best = Metrics.bestPossibleSeconds(settings.requests(), limit.requestsPerWindow(), limit.limitPerSecond());
        disruption = new RedisDisruption(redis, go, Duration.ofNanos((long) (best * settings.redisKillAt() * 1e9)),
            Duration.ofNanos((long) (best * settings.redisRestartAt() * 1e9)));
      }
      List<ChildReport> reports = new ArrayList<>();
      List<String> processErrors = new ArrayList<>();
      List<Outcome> lost = new ArrayList<>();
      for (ClientProcess child : children) {
        try {
          reports.add(child.awaitResult(settings.cutOff().plus(RESULT_GRACE)));
        } catch (RuntimeException e) {
          processErrors.add(e.getMessage().lines().findFirst().orElse(""));
          for (int i = 0; i < settings.requestsPerClient(); i++) {
            lost.add(new Outcome(-1, -1, -1, false, "process failed", null));
          }
        }
      }
      if (disruption != null) {
        disruption.await(Duration.ofSeconds(30));
      }
      List<Outcome> outcomes = new ArrayList<>(ChildReport.merge(reports));
      outcomes.addAll(lost);
      boolean cutOff = !processErrors.isEmpty() || reports.stream().anyMatch(ChildReport::cutOff);
      long wall = cutOff ? reports.stream().mapToLong(ChildReport::elapsedNanos).max().orElse(0)
          : RunFields.lastEnd(outcomes);
      Row row = new Row(ID, label)
          .put("processes", settings.clients())
          .put("redis", redis == null ? "none" : kill ? "killed mid-run" : "shared");
      BulkFields.put(row, outcomes, server.stats(), limit, wall);
      if (disruption != null) {
        row.put("redis_killed_at_s", disruption.killedAtSeconds())
            .put("redis_restarted_at_s", disruption.restartedAtSeconds());
      }
      row.put("cut_off", cutOff);
      if (!processErrors.isEmpty()) {
        row.put("process_errors", String.join("; ", processErrors));
      }
      return RunFields.finish(row, outcomes);
    } finally {
      if (disruption != null) {
        disruption.close();
      }
      children.forEach(ClientProcess::close);
    }
  }
}
