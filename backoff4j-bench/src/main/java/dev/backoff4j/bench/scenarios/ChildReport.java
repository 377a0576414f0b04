package dev.backoff4j.bench.scenarios;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a {@link ClientProcessMain} sends back: its outcomes on its own clock (nanoseconds since it
 * was told to go) and when that was on the shared wall clock, so the parent can put the processes of
 * a fleet on one timeline.
 *
 * @param goEpochMicros when the process received "go", microseconds since the epoch
 * @param threadsBefore live threads in the process just before the run
 * @param peakThreads the most live threads during the run
 * @param elapsedNanos how long the run took (to its cut-off, if cut off)
 * @param cutOff the run hit its cut-off
 * @param outcomes every request, in order; only the last failure of each kind keeps its message
 */
record ChildReport(long goEpochMicros, int threadsBefore, int peakThreads, long elapsedNanos, boolean cutOff,
    List<Outcome> outcomes) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static ChildReport of(long goEpochMicros, int threadsBefore, int peakThreads, LoadRun.Result run) {
    return new ChildReport(goEpochMicros, threadsBefore, peakThreads, run.elapsedNanos(), run.cutOff(),
        keepLastMessages(run.outcomes()));
  }

  /** One line of JSON. */
  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the child's report", e);
    }
  }

  static ChildReport fromJson(String json) {
    try {
      return JSON.readValue(json, ChildReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a child report: " + e.getOriginalMessage(), e);
    }
  }

  /** The outcomes moved {@code offsetNanos} later; unfinished ones stay unfinished. */
  List<Outcome> shifted(long offsetNanos) {
    List<Outcome> moved = new ArrayList<>(outcomes.size());
    for (Outcome o : outcomes) {
      moved.add(new Outcome(shift(o.arrivalNanos(), offsetNanos), shift(o.startNanos(), offsetNanos),
          shift(o.endNanos(), offsetNanos), o.ok(), o.error(), o.message()));
    }
    return moved;
  }

  /**
   * Several processes' outcomes on one timeline whose zero is the earliest "go": each report is
   * moved by how much later than that its process received "go".
   */
  static List<Outcome> merge(List<ChildReport> reports) {
    long first = reports.stream().mapToLong(ChildReport::goEpochMicros).min().orElse(0);
    List<Outcome> all = new ArrayList<>();
    for (ChildReport report : reports) {
      all.addAll(report.shifted((report.goEpochMicros() - first) * 1_000));
    }
    return all;
  }

  private static long shift(long nanos, long offset) {
    return nanos < 0 ? nanos : nanos + offset;
  }

  private static List<Outcome> keepLastMessages(List<Outcome> outcomes) {
    Set<String> seen = new HashSet<>();
    Outcome[] kept = new Outcome[outcomes.size()];
    for (int i = outcomes.size() - 1; i >= 0; i--) {
      Outcome o = outcomes.get(i);
      if (o.message() != null && !seen.add(o.error())) {
        o = new Outcome(o.arrivalNanos(), o.startNanos(), o.endNanos(), o.ok(), o.error(), null);
      }
      kept[i] = o;
    }
    return List.of(kept);
  }
}
