package dev.backoff4j.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.RequestRecord;
import org.junit.jupiter.api.Test;

class StatsRecorderTest {

  private static RequestRecord request(long at, int status) {
    return new RequestRecord(at, at, "POST", "/v1/responses", status, "none", "req_" + at);
  }

  @Test
  void countsCarryEveryCounterButNoCopyOfTheLog() {
    StatsRecorder stats = new StatsRecorder(1_000);
    stats.record(request(1, 200), null, false);
    stats.record(request(2, 503), "503", false);
    stats.record(request(3, 429), "rate-limited", true);

    MockStats counts = stats.counts();

    assertThat(counts.totalRequests()).isEqualTo(3);
    assertThat(counts.count(503)).isEqualTo(1);
    assertThat(counts.faults("rate-limited")).isEqualTo(1);
    assertThat(counts.rateLimited()).isEqualTo(1);
    assertThat(counts.requests()).isEmpty();
    assertThat(stats.snapshot().requests()).extracting(RequestRecord::status).containsExactly(200, 503, 429);
  }

  @Test
  void theSnapshotKeepsTheMostRecentRequestsOldestFirst() {
    StatsRecorder stats = new StatsRecorder(2);
    for (int i = 1; i <= 5; i++) {
      stats.record(request(i, 200), null, false);
    }

    assertThat(stats.snapshot().requests()).extracting(RequestRecord::epochMillis).containsExactly(4L, 5L);
    assertThat(stats.snapshot().totalRequests()).isEqualTo(5);
  }
}
