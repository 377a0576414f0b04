package dev.backoff4j.openai.batch;

import java.time.Duration;

/**
 * A snapshot of a batch run's counters.
 *
 * @param total requests in the input file
 * @param skipped requests already in the output file when the run started (not sent again)
 * @param skippedErrors how many of the skipped ones had ended in error
 * @param resent requests whose earlier line was a recoverable error, removed from the output to be sent
 *     again ({@link BatchRunner.Builder#retryErrors}); they count as to do, not as skipped
 * @param succeeded requests answered successfully in this run
 * @param failed requests that ended in error in this run (written with their error)
 * @param inFlight requests sent and not yet finished
 * @param retries retries scheduled in this run
 * @param rateLimited 429 responses seen in this run (retried or final)
 * @param elapsed time since the run started
 */
public record BatchProgress(int total, int skipped, int skippedErrors, int resent, int succeeded, int failed,
    int inFlight, long retries, long rateLimited, Duration elapsed) {

  /** Requests with a line in the output: skipped plus finished in this run. */
  public int done() {
    return skipped + succeeded + failed;
  }

  /** Requests finished in this run. */
  public int finishedThisRun() {
    return succeeded + failed;
  }

  /** Requests still to finish. */
  public int remaining() {
    return total - done();
  }

  /** Lines in the output that carry an error, from earlier runs and this one. */
  public int errors() {
    return skippedErrors + failed;
  }

  /** Whether every request has a line and none of them is an error. */
  public boolean allSucceeded() {
    return remaining() == 0 && errors() == 0;
  }
}
