package dev.backoff4j.bench.scenarios;

import dev.backoff4j.mock.MockStats;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** The fields of a bulk job at the limit, shared by S1 and both forms of S5. */
final class BulkFields {

  /** Bin width of the throughput series (the charts). */
  static final long CHART_BIN = TimeUnit.MILLISECONDS.toNanos(500);
  /** "The first second" of {@code rate_limited_first_second}: from the first request the mock saw. */
  static final long FIRST_SECOND = TimeUnit.SECONDS.toNanos(1);

  private BulkFields() {}

  /**
   * Everything from {@code completion_ratio} to {@code attempts} for {@code outcomes} (all clients'
   * requests) against a limit of {@code bulk}, as the mock counted them in {@code stats}.
   *
   * @param wallNanos when the run ended (its cut-off if it was cut off)
   */
  static Row put(Row row, List<Outcome> outcomes, MockStats stats, Settings.Bulk bulk, long wallNanos) {
    int n = outcomes.size();
    long succeeded = outcomes.stream().filter(Outcome::ok).count();
    OptionalLong lastSuccess = Metrics.lastSuccessNanos(outcomes);
    double limit = bulk.limitPerSecond();
    long bucket = bulk.requestsPerWindow();
    long limitedEarly = Metrics.countInFirst(stats.requests(), FIRST_SECOND, 429);
    return row
        .put("completion_ratio", Metrics.completionRatio(lastSuccess, succeeded, limit))
        .put("rate_limited_per_request", (double) stats.count(429) / n)
        .put("failed", n - succeeded)
        .put("success_rate", (double) succeeded / n)
        .put("rate_limited", stats.count(429))
        .put("rate_limited_first_second", (double) limitedEarly / n)
        .put("rate_limited_first_second_count", limitedEarly)
        .put("wall_s", wallNanos / 1e9)
        .put("last_success_s", lastSuccess.isPresent() ? (Object) (lastSuccess.getAsLong() / 1e9) : null)
        .put("ideal_s", n / limit)
        .put("best_possible_s", Metrics.bestPossibleSeconds(n, bucket, limit))
        .put("ratio_to_best_possible", Metrics.ratioToBestPossible(lastSuccess, succeeded, bucket, limit))
        .put("attempts", stats.totalRequests())
        .throughput(Metrics.throughputSeries(outcomes, CHART_BIN, wallNanos + CHART_BIN));
  }

  /** The description's sentence on the fields. */
  static String fieldsText() {
    return "completion_ratio = time to the last success ÷ (successes ÷ limit); ratio_to_best_possible = time to the "
        + "last success ÷ the best possible time of the successes (the bucket starts full: (successes − bucket) ÷ "
        + "limit); rate_limited_first_second = 429s to requests that arrived in the first second ÷ N";
  }
}
