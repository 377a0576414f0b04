package dev.backoff4j.bench.scenarios;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The SVG charts of S1, S2 and S5. */
final class Charts {

  private Charts() {}

  /** Writes the charts the rows have data for; returns their file names. */
  static List<String> write(Path directory, List<Row> rows, Settings settings, Instant started) throws IOException {
    List<String> written = new ArrayList<>();
    String date = DateTimeFormatter.ISO_LOCAL_DATE.format(started.atZone(ZoneOffset.UTC));
    List<Row> s1 = withSeries(rows, "S1");
    if (!s1.isEmpty()) {
      double limit = settings.s1().limitPerSecond();
      write(directory, "s1-throughput.svg", ThroughputChart.svg(s1, BulkFields.CHART_BIN / 1e9, limit,
          String.format(Locale.ROOT, "S1: %,d requests, concurrency %d, limit %.0f/s (%s run, %s)",
              settings.s1().requests(), settings.concurrency(), limit, settings.mode(), date)), written);
    }
    List<Row> s2 = withSeries(rows, "S2");
    if (!s2.isEmpty()) {
      Settings.Outage o = settings.s2();
      double from = o.outageStart().toNanos() / 1e9;
      write(directory, "s2-outage.svg", ThroughputChart.svg(s2, OutageScenario.CHART_BIN / 1e9, o.ratePerSecond(),
          String.format(Locale.ROOT, "offered %.0f/s", o.ratePerSecond()),
          new double[] {from, from + o.outageLength().toNanos() / 1e9},
          String.format(Locale.ROOT, "S2: successes per second, %.0f requests/s offered, outage %.1f–%.1f s (%s run, %s)",
              o.ratePerSecond(), from, from + o.outageLength().toNanos() / 1e9, settings.mode(), date)), written);
    }
    List<Row> s5 = withSeries(rows, "S5");
    if (!s5.isEmpty()) {
      double limit = settings.s1().limitPerSecond();
      write(directory, "s5-fleet.svg", ThroughputChart.svg(s5, BulkFields.CHART_BIN / 1e9, limit,
          String.format(Locale.ROOT, "S5: %d clients × %,d requests on one key, limit %.0f/s (%s run, %s)",
              settings.s5().clients(), settings.s5().requestsPerClient(), limit, settings.mode(), date)), written);
    }
    return written;
  }

  private static List<Row> withSeries(List<Row> rows, String scenario) {
    return rows.stream().filter(r -> r.scenario().equals(scenario) && r.throughput().length > 0).toList();
  }

  private static void write(Path directory, String name, String svg, List<String> written) throws IOException {
    Files.writeString(directory.resolve(name), svg, StandardCharsets.UTF_8);
    written.add(name);
  }
}
