package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every contender through S1–S4 against the mock on 127.0.0.1 and writes the results.
 *
 * <pre>
 * ScenarioMain [--quick] [--only S1,S3] [--contenders recipe,backoff4j] [--command TEXT]
 * </pre>
 *
 * A full run of everything writes {@code backoff4j-bench/results/scenarios.json},
 * {@code backoff4j-bench/results/s1-throughput.svg} and the generated section of {@code BENCHMARKS.md}
 * (paths relative to the working directory, the repository root). {@code --quick} and partial runs
 * write to {@code backoff4j-bench/target/scenarios-<mode>/} and leave BENCHMARKS.md alone.
 */
public final class ScenarioMain {

  private ScenarioMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.full();
    List<String> only = List.of();
    List<String> names = List.of();
    String command = "backoff4j-bench/run-scenarios";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> settings = Settings.quick();
        case "--only" -> only = Arrays.asList(args[++i].split(","));
        case "--contenders" -> names = Arrays.asList(args[++i].split(","));
        case "--command" -> command = args[++i];
        default -> {
          System.err.println("unknown argument: " + args[i]
              + "\nusage: ScenarioMain [--quick] [--only S1,S2,S3,S4] [--contenders NAME,...] [--command TEXT]");
          System.exit(2);
        }
      }
    }
    List<String> wanted = names;
    List<Contender> contenders = Contenders.all().stream()
        .filter(c -> wanted.isEmpty() || wanted.contains(c.name())).toList();
    List<String> onlyIds = only;
    Scenarios scenarios = new Scenarios(settings);
    List<Scenarios.Bench> benches = scenarios.all().stream()
        .filter(b -> onlyIds.isEmpty() || onlyIds.contains(b.id())).toList();
    boolean publish = settings.mode().equals("full") && only.isEmpty() && names.isEmpty();
    Path results = publish ? Path.of("backoff4j-bench/results")
        : Path.of("backoff4j-bench/target/scenarios-" + (settings.mode().equals("full") ? "partial" : settings.mode()));

    long suiteStart = System.nanoTime();
    Instant started = Instant.now();
    String loadBefore = loadAverage();
    List<Row> rows = new ArrayList<>();
    Map<String, String> descriptions = new LinkedHashMap<>();
    try (MockServer server = MockServer.start(Scenario.builder().requestLogCapacity(0).build())) {
      log("mock on %s; warming up the mock and each contender (%d ms each)", server.baseUrl(),
          settings.warmUpPerContender().toMillis());
      for (Contender contender : contenders) {
        try (ChatCaller caller = contender.open(server.baseUrl())) {
          LoadRun.closedLoop(caller, 1_000_000, settings.concurrency(), settings.warmUpPerContender());
        }
      }
      for (Scenarios.Bench bench : benches) {
        descriptions.put(bench.id(), bench.description());
        log("%s: %s", bench.id(), bench.description());
        for (Contender contender : contenders) {
          long t = System.nanoTime();
          Row row = bench.run(contender, server);
          rows.add(row);
          log("  %-16s %s  (%.1f s)", contender.name(), summary(row), (System.nanoTime() - t) / 1e9);
        }
      }
    }
    double suiteSeconds = (System.nanoTime() - suiteStart) / 1e9;
    log("suite took %.1f s", suiteSeconds);

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("mode", settings.mode());
    meta.put("started", started.toString());
    meta.put("suite_seconds", Math.round(suiteSeconds * 10) / 10.0);
    meta.put("command", command);
    meta.put("machine", machine());
    meta.put("load_average_before", loadBefore);
    meta.put("load_average_after", loadAverage());
    meta.put("scenarios", descriptions);
    Map<String, String> contenderDescriptions = new LinkedHashMap<>();
    contenders.forEach(c -> contenderDescriptions.put(c.name(), c.description()));
    meta.put("contenders", contenderDescriptions);
    Files.createDirectories(results);
    Path json = results.resolve("scenarios.json");
    Report.writeJson(json, meta, rows);
    List<Row> s1 = rows.stream().filter(r -> r.scenario().equals("S1")).toList();
    Path chart = results.resolve("s1-throughput.svg");
    if (!s1.isEmpty()) {
      Files.writeString(chart, ThroughputChart.svg(s1, Scenarios.CHART_BIN / 1e9, settings.s1LimitPerSecond(),
          String.format(Locale.ROOT, "S1: %,d requests, concurrency %d, limit %.0f/s (%s run, %s)",
              settings.s1Requests(), settings.concurrency(), settings.s1LimitPerSecond(), settings.mode(),
              DateTimeFormatter.ISO_LOCAL_DATE.format(started.atZone(ZoneOffset.UTC)))),
          StandardCharsets.UTF_8);
    }
    String tables = Report.tables(rows, descriptions);
    List<String> targets = Targets.evaluate(rows);
    System.out.println();
    System.out.println(tables);
    targets.forEach(t -> System.out.println("- " + t));
    System.out.printf(Locale.ROOT, "%nResults: %s%s%n", json, s1.isEmpty() ? "" : ", " + chart);
    if (publish) {
      Report.writeSection(Path.of("BENCHMARKS.md"), section(settings, started, suiteSeconds, command, meta,
          contenders, tables, targets));
      System.out.println("BENCHMARKS.md: section \"Scenario benchmarks\" written");
    }
  }

  private static String section(Settings settings, Instant started, double suiteSeconds, String command,
      Map<String, Object> meta, List<Contender> contenders, String tables, List<String> targets) {
    StringBuilder md = new StringBuilder();
    md.append("## Scenario benchmarks\n\n");
    md.append(String.format(Locale.ROOT, "**Date:** %s UTC. **Machine:** %s. Load average before/after: %s / %s.%n%n",
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(started.atZone(ZoneOffset.UTC)), meta.get("machine"),
        meta.get("load_average_before"), meta.get("load_average_after")));
    md.append("**Command** (from the repository root; builds quietly, then runs `dev.backoff4j.bench.scenarios.ScenarioMain`):\n\n```\n")
        .append(command).append("\n```\n\n");
    md.append(String.format(Locale.ROOT,
        "The suite took %.0f s (JVM start and build not included). Raw results: `backoff4j-bench/results/scenarios.json`.%n%n",
        suiteSeconds));
    md.append("Every contender runs alone against one warm mock server in the same JVM on 127.0.0.1 (the mock was "
        + "warmed up, then each contender for ").append(settings.warmUpPerContender().toMillis())
        .append(" ms); before each run the scenario is re-installed and reset (fresh buckets, outage clock and "
            + "stats), and each run gets a fresh client. Same payload for all: one user message of ")
        .append(Payload.PROMPT.length()).append(" characters, `max_completion_tokens` ")
        .append(Payload.MAX_COMPLETION_TOKENS).append(", model `").append(Payload.MODEL).append("`.\n\n");
    md.append("Contenders:\n\n");
    for (Contender c : contenders) {
      md.append("- `").append(c.name()).append("`: ").append(c.description()).append('\n');
    }
    md.append('\n').append(tables);
    md.append("![S1 throughput over time](backoff4j-bench/results/s1-throughput.svg)\n\n");
    md.append("Targets for `backoff4j-paced` (checked by the harness against the rows above):\n\n");
    targets.forEach(t -> md.append("- ").append(t).append('\n'));
    return md.toString();
  }

  private static String summary(Row row) {
    StringBuilder text = new StringBuilder();
    row.fields().forEach((k, v) -> {
      if (!k.equals("scenario") && !k.equals("contender") && !k.equals("error_sample")) {
        text.append(k).append('=').append(v).append(' ');
      }
    });
    return text.toString().trim();
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
    } catch (IOException | RuntimeException ignored) {
      // Not Linux: the core count and JVM still identify the run.
    }
    return String.format(Locale.ROOT, "%d cores (%s), %s %s, OpenJDK %s, heap max %d MiB",
        Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("os.name"), System.getProperty("os.arch"),
        System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() >> 20);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, format + "%n", args);
  }
}
