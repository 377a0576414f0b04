package dev.backoff4j.cli;

import dev.backoff4j.openai.OpenAiRetryLog;
import dev.backoff4j.openai.gate.GateWait;
import dev.backoff4j.retry.event.AttemptStarted;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.retry.event.Succeeded;
import dev.backoff4j.time.Durations;
import java.io.PrintWriter;
import dev.backoff4j.openai.spi.Credentials;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Prints one line per failed attempt ({@code attempt 1 failed: 429 rate_limit_exceeded (req_abc);
 * retrying in 1.03s (retry-after-ms)}), one when an attempt waits at the outage gate, and remembers
 * how the execution went, for summaries. Every line is masked: the credentials it was given, and
 * anything shaped like a key.
 */
final class AttemptPrinter implements CallListener {

  enum Verbosity { QUIET, NORMAL, VERBOSE }

  private final PrintWriter out;
  private final Verbosity verbosity;
  private final List<String> credentials;
  private volatile Duration waitedForServer = Duration.ZERO;
  private volatile Duration waitedBackoff = Duration.ZERO;
  private volatile Succeeded success;

  AttemptPrinter(PrintWriter out, Verbosity verbosity) {
    this(out, verbosity, List.of());
  }

  /** @param credentials masked in every line printed */
  AttemptPrinter(PrintWriter out, Verbosity verbosity, List<String> credentials) {
    this.out = out;
    this.verbosity = verbosity;
    this.credentials = List.copyOf(credentials);
  }

  @Override
  public void onAttemptStarted(AttemptStarted event) {
    if (verbosity == Verbosity.VERBOSE) {
      print("attempt " + event.attempt() + " started at +" + Durations.format(event.elapsed()));
    }
  }

  @Override
  public void onRetryScheduled(RetryScheduled event) {
    if (RetryScheduled.BACKOFF.equals(event.delaySource())) {
      waitedBackoff = waitedBackoff.plus(event.delay());
    } else {
      waitedForServer = waitedForServer.plus(event.delay());
    }
    if (verbosity != Verbosity.QUIET) {
      print(OpenAiRetryLog.describeRetry(event));
    }
  }

  @Override
  public void onGateWait(GateWait event) {
    if (verbosity != Verbosity.QUIET) {
      print(describe(event));
    }
  }

  /**
   * {@code waiting at the outage gate: the endpoint has been failing since 2026-01-01T00:00:00Z (for
   * 12.00s), 3 requests waiting; giving up at the deadline, in 9m48s}.
   */
  static String describe(GateWait event) {
    String since = event.state() == dev.backoff4j.openai.gate.GateState.RECOVERING
        ? "the endpoint is recovering, waiting requests go a few at a time"
        : "the endpoint has been failing since " + event.failingSince().truncatedTo(ChronoUnit.SECONDS) + " (for "
            + Durations.format(event.failingFor()) + ")";
    return "waiting at the outage gate: " + since + ", " + event.waiting()
        + (event.waiting() == 1 ? " request" : " requests") + " waiting"
        + event.timeLeft().map(left -> "; giving up at the deadline, in " + Durations.format(left)).orElse("");
  }

  @Override
  public void onSuccess(Succeeded event) {
    success = event;
  }

  /** The success event, or {@code null} if the execution has not succeeded. */
  Succeeded success() {
    return success;
  }

  /** Time waited because the server said how long (retry-after and friends). */
  Duration waitedForServer() {
    return waitedForServer;
  }

  /** Time waited on computed backoff. */
  Duration waitedBackoff() {
    return waitedBackoff;
  }

  private void print(String line) {
    synchronized (out) {
      out.println(Credentials.mask(line, credentials));
      out.flush();
    }
  }
}
