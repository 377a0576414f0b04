package dev.backoff4j.cli;

import dev.backoff4j.openai.batch.BatchListener;
import dev.backoff4j.openai.batch.BatchProgress;
import dev.backoff4j.openai.batch.BatchResult;
import dev.backoff4j.openai.gate.GateState;
import dev.backoff4j.openai.gate.GateStats;
import dev.backoff4j.openai.pacing.PacerStats;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.time.Durations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Renders a batch run on stderr: a live bar on a terminal, otherwise a plain line every few seconds;
 * a summary at the end either way.
 */
final class BatchProgressDisplay implements BatchListener {

  private final PrintWriter err;
  private final Path output;
  private final boolean quiet;
  private final boolean terminal;
  private final Duration interval;
  private final Supplier<PacerStats> pacing;
  private final Supplier<Optional<GateStats>> gate;
  private final AtomicReference<BatchProgress> latest = new AtomicReference<>();
  private volatile ProgressBar bar;
  private volatile ScheduledExecutorService ticker;
  private volatile boolean started;

  private BatchProgressDisplay(PrintWriter err, Path output, boolean quiet, boolean terminal, Duration interval,
      Supplier<PacerStats> pacing, Supplier<Optional<GateStats>> gate) {
    this.err = err;
    this.pacing = pacing;
    this.gate = gate;
    this.output = output;
    this.quiet = quiet;
    this.terminal = terminal;
    this.interval = interval;
  }

  /**
   * @param pacing the pacer's counters, for the time spent pacing
   * @param gate the outage gate's state, empty without a gate
   */
  static BatchProgressDisplay create(PrintWriter err, Path output, boolean quiet, Duration interval,
      Supplier<PacerStats> pacing, Supplier<Optional<GateStats>> gate) {
    return new BatchProgressDisplay(err, output, quiet, System.console() != null, interval, pacing, gate);
  }

  @Override
  public void onStart(BatchProgress progress) {
    started = true;
    latest.set(progress);
    if (progress.skipped() > 0 || progress.resent() > 0) {
      print("resuming: " + progress.skipped() + " of " + progress.total() + " requests already in " + output
          + ", " + progress.remaining() + " to go" + (progress.resent() > 0
              ? " (" + progress.resent() + " of them sent again after a retryable error)" : ""));
    }
    if (quiet || progress.remaining() == 0) {
      return;
    }
    if (terminal) {
      bar = new ProgressBarBuilder()
          .setTaskName("batch")
          .setInitialMax(progress.total())
          .startsFrom(progress.skipped(), Duration.ZERO)
          .setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .setUpdateIntervalMillis(250)
          .setUnit(" req", 1)
          .showSpeed()
          .build();
    } else {
      ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "backoff4j-batch-progress");
        thread.setDaemon(true);
        return thread;
      });
      long millis = interval.toMillis();
      ticker.scheduleAtFixedRate(() -> print(line(latest.get()) + paced() + gate()), millis, millis,
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void onRetry(RetryScheduled event, BatchProgress progress) {
    update(progress);
  }

  @Override
  public void onResult(BatchResult result, BatchProgress progress) {
    update(progress);
  }

  private void update(BatchProgress progress) {
    latest.accumulateAndGet(progress, (old, now) -> old == null || now.elapsed().compareTo(old.elapsed()) >= 0 ? now : old);
    ProgressBar current = bar;
    if (current != null) {
      BatchProgress shown = latest.get();
      current.stepTo(shown.done());
      current.setExtraMessage(" " + counters(shown) + paced() + gate());
    }
  }

  /** Whether the run got past checking its files, so requests may have been sent. */
  boolean started() {
    return started;
  }

  /** Stops the bar or the ticker; idempotent. */
  void stop() {
    ProgressBar current = bar;
    bar = null;
    if (current != null) {
      current.close();
    }
    ScheduledExecutorService currentTicker = ticker;
    ticker = null;
    if (currentTicker != null) {
      currentTicker.shutdownNow();
    }
  }

  /** The final line. */
  void summary(BatchProgress result) {
    String line = "batch: " + result.total() + " requests, " + result.done() + " in " + output + ": "
        + (result.done() - result.errors()) + " ok, " + result.errors() + " with an error"
        + (result.skipped() > 0 ? " (" + result.skipped() + " from an earlier run)" : "")
        + "; this run: " + result.finishedThisRun() + " sent"
        + (result.resent() > 0 ? " (" + result.resent() + " re-sent after a retryable error)" : "") + ", "
        + counters(result) + paced() + outages() + ", "
        + Durations.format(result.elapsed());
    print(line);
  }

  /** {@code batch: 1234/5000 (24.7%), 41.2 req/s, retries 12, 429s 3, errors 0, in flight 8, ETA 1m31s}. */
  static String line(BatchProgress p) {
    double seconds = p.elapsed().toNanos() / 1e9;
    double rate = seconds > 0 ? p.finishedThisRun() / seconds : 0;
    String eta = rate > 0 ? Durations.format(Duration.ofMillis((long) (p.remaining() / rate * 1000))) : "unknown";
    return String.format(Locale.ROOT, "batch: %d/%d (%.1f%%), %.1f req/s, %s, in flight %d, ETA %s",
        p.done(), p.total(), p.total() == 0 ? 100.0 : 100.0 * p.done() / p.total(), rate, counters(p),
        p.inFlight(), eta);
  }

  private static String counters(BatchProgress p) {
    return "retries " + p.retries() + ", 429s " + p.rateLimited() + ", errors " + p.failed();
  }

  /** {@code , paced 12 (3.4s)}: requests the pacer held back and the sum of their waits (attempts count). */
  private String paced() {
    PacerStats stats = pacing.get();
    return stats.paced() == 0 ? "" : ", paced " + stats.paced() + " (" + Durations.format(stats.totalWait()) + " of waits, summed)";
  }

  /**
   * {@code , gate closed since 2026-01-01T00:00:00Z (120 waiting)} while the endpoint is failing,
   * {@code , gate recovering (40 waiting)} while the waiting requests are let through; nothing when open.
   */
  private String gate() {
    return gate.get().map(BatchProgressDisplay::gate).orElse("");
  }

  static String gate(GateStats stats) {
    if (stats.state() == GateState.OPEN) {
      return "";
    }
    String since = stats.since().map(instant -> " since " + instant.truncatedTo(ChronoUnit.SECONDS)).orElse("");
    return ", gate " + (stats.state() == GateState.CLOSED ? "closed" + since : "recovering") + " ("
        + stats.waiting() + " waiting)";
  }

  /** {@code , outage gate closed 2 times}: how often the endpoint failed enough to hold requests back. */
  private String outages() {
    long closings = gate.get().map(GateStats::closings).orElse(0L);
    return closings == 0 ? "" : ", outage gate closed " + closings + (closings == 1 ? " time" : " times");
  }

  private void print(String line) {
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }
}
