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
 * Runs every contender through S1–S6 against the mock on 127.0.0.1 and writes the results.
 *
 * <pre>
 * ScenarioMain [--quick] [--only S1,S3] [--contenders recipe,backoff4j] [--results DIR] [--command TEXT]
 * </pre>
 *
 * A full run of everything writes {@code backoff4j-bench/results/scenarios.json}, the charts
 * ({@code s1-throughput.svg}, {@code s2-outage.svg}, {@code s5-fleet.svg}) and the generated section of
 * {@code BENCHMARKS.md} (paths relative to the working directory, the repository root). {@code --quick}
 * and partial runs write to {@code backoff4j-bench/target/scenarios-<mode>/} (or {@code --results DIR})
 * and leave BENCHMARKS.md alone.
 */
public final class ScenarioMain {

  private static final String USAGE =
      "usage: ScenarioMain [--quick] [--only ID,...] [--contenders NAME,...] [--results DIR] [--command TEXT]";

  private ScenarioMain() {}

  /** What to run and where to write it. */
  record Options(Settings settings, List<String> only, List<String> contenders, Path results, String command) {

    boolean publish() {
      return settings.mode().equals("full") && only.isEmpty() && contenders.isEmpty() && results == null;
    }

    Path resultsDirectory() {
      if (results != null) {
        return results;
      }
      return publish() ? Path.of("backoff4j-bench/results")
          : Path.of("backoff4j-bench/target/scenarios-" + (settings.mode().equals("full") ? "partial" : settings.mode()));
    }
  }

  /** What a suite run produced. */
  record Suite(List<Row> rows, List<Targets.Verdict> verdicts, Path json) {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    run(options);
  }

  /**
   * @throws IllegalArgumentException naming the flag, for an unknown flag, scenario or contender
   */
  static Options parse(String[] args) {
    Settings settings = Settings.full();
    List<String> only = List.of();
    List<String> names = List.of();
    Path results = null;
    String command = "backoff4j-bench/run-scenarios";
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--quick" -> settings = Settings.quick();
        case "--only" -> only = list(flag, value(args, ++i, flag), Scenarios.ids());
        case "--contenders" -> names = list(flag, value(args, ++i, flag),
            Contenders.all().stream().map(Contender::name).toList());
        case "--results" -> results = Path.of(value(args, ++i, flag));
        case "--command" -> command = value(args, ++i, flag);
        default -> throw new IllegalArgumentException("unknown argument: " + flag);
      }
    }
    return new Options(settings, only, names, results, command);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static List<String> list(String flag, String value, List<String> known) {
    List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String item : items) {
      if (!known.contains(item)) {
        throw new IllegalArgumentException(flag + ": unknown '" + item + "'; known: " + String.join(",", known));
      }
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException(flag + " needs at least one of " + String.join(",", known));
    }
    return items;
  }

  static Suite run(Options options) throws IOException {
    Settings settings = options.settings();
    List<Contender> contenders = Contenders.all().stream()
        .filter(c -> options.contenders().isEmpty() || options.contenders().contains(c.name())).toList();
    List<Scenarios.Bench> benches = Scenarios.all(settings).stream()
        .filter(b -> options.only().isEmpty() || options.only().contains(b.id())).toList();
    Path results = options.resultsDirectory();

    long suiteStart = System.nanoTime();
    Instant started = Instant.now();
    String loadBefore = loadAverage();
    List<Row> rows = new ArrayList<>();
    Map<String, String> descriptions = new LinkedHashMap<>();
    try (MockServer server = MockServer.start(Scenario.builder().requestLogCapacity(0).build())) {
      log("mock on %s; warming up the mock and each contender (%s each)", server.baseUrl(), settings.warmUp());
      for (Contender contender : contenders) {
        try (ChatCaller caller = contender.open(server.baseUrl())) {
          settings.warmUp().run(caller, settings.concurrency());
        }
      }
      for (Scenarios.Bench bench : benches) {
        descriptions.put(bench.id(), bench.description());
        log("%s: %s", bench.id(), bench.description());
        for (Contender contender : contenders) {
          long t = System.nanoTime();
          Row row = guarded(bench.id(), contender.name(), () -> bench.run(contender, server));
          rows.add(row);
          log("  %-28s %s  (%.1f s)", contender.name(), summary(row), (System.nanoTime() - t) / 1e9);
        }
        long t = System.nanoTime();
        List<Row> extra;
        try {
          extra = bench.extraRows(server, contenders);
        } catch (RuntimeException e) {
          extra = List.of(new Row(bench.id(), "(extra rows)").put("harness_error", String.valueOf(e.getMessage())));
        }
        for (Row row : extra) {
          rows.add(row);
          log("  %-28s %s  (%.1f s for the extra rows)", row.contender(), summary(row), (System.nanoTime() - t) / 1e9);
        }
      }
    }
    double suiteSeconds = (System.nanoTime() - suiteStart) / 1e9;
    log("suite took %.1f s", suiteSeconds);

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("mode", settings.mode());
    meta.put("started", started.toString());
    meta.put("suite_seconds", Math.round(suiteSeconds * 10) / 10.0);
    meta.put("command", options.command());
    meta.put("machine", machine());
    meta.put("load_average_before", loadBefore);
    meta.put("load_average_after", loadAverage());
    meta.put("scenarios", descriptions);
    Map<String, String> contenderDescriptions = new LinkedHashMap<>();
    contenders.forEach(c -> contenderDescriptions.put(c.name(), c.description()));
    meta.put("contenders", contenderDescriptions);
    Map<String, String> deadlines = new LinkedHashMap<>();
    contenders.forEach(c -> deadlines.put(c.name(), c.deadlineDescription()));
    meta.put("contender_deadlines", deadlines);

    List<Targets.Verdict> verdicts = Targets.evaluate(rows);
    Files.createDirectories(results);
    Path json = results.resolve("scenarios.json");
    Report.writeJson(json, meta, rows, verdicts);
    List<String> charts = Charts.write(results, rows, settings, started);
    String tables = Report.tables(rows, descriptions);
    System.out.println();
    System.out.println(tables);
    verdicts.forEach(v -> System.out.println("- " + v.line()));
    System.out.printf(Locale.ROOT, "%nResults: %s%s%n", json,
        charts.stream().map(c -> ", " + results.resolve(c)).reduce("", String::concat));
    if (options.publish()) {
      Report.writeSection(Path.of("BENCHMARKS.md"), section(settings, started, suiteSeconds, options.command(), meta,
          contenders, tables, charts, verdicts));
      System.out.println("BENCHMARKS.md: section \"Scenario benchmarks\" written");
    }
    return new Suite(List.copyOf(rows), verdicts, json);
  }

  private interface RowRun {
    Row run();
  }

  /** A scenario that throws gives a row saying so, and the suite goes on. */
  private static Row guarded(String scenario, String contender, RowRun run) {
    try {
      return run.run();
    } catch (RuntimeException e) {
      log("  %s × %s failed in the harness: %s", scenario, contender, e);
      return new Row(scenario, contender).put("harness_error", String.valueOf(e.getMessage()));
    }
  }

  private static String section(Settings settings, Instant started, double suiteSeconds, String command,
      Map<String, Object> meta, List<Contender> contenders, String tables, List<String> charts,
      List<Targets.Verdict> verdicts) {
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
    md.append("Every contender runs alone against one warm mock server on 127.0.0.1 (the mock was warmed up, then each "
        + "contender with ").append(settings.warmUp())
        .append("); before each run the scenario is re-installed and reset (fresh buckets, outage clock and stats), "
            + "and each run gets fresh clients. S1–S5 run the clients in the benchmark's JVM; S5-jvm and S6 run them in "
            + "JVMs of their own. Same payload for all: one user message of ")
        .append(Payload.PROMPT.length()).append(" characters, `max_completion_tokens` ")
        .append(Payload.MAX_COMPLETION_TOKENS).append(", model `").append(Payload.MODEL).append("`.\n\n");
    md.append("Contenders (and how each gets S2-long's deadline):\n\n");
    for (Contender c : contenders) {
      md.append("- `").append(c.name()).append("`: ").append(c.description()).append(". Deadline: ")
          .append(c.deadlineDescription()).append('\n');
    }
    md.append('\n').append(tables);
    for (String chart : charts) {
      md.append("![").append(chart).append("](backoff4j-bench/results/").append(chart).append(")\n\n");
    }
    md.append("Targets for backoff4j's rows (checked by the harness against the rows above; each states success and "
        + "cost, and is met only if both are):\n\n");
    verdicts.forEach(v -> md.append("- ").append(v.line()).append('\n'));
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
