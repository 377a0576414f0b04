package dev.backoff4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.testkit.VirtualTime;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A rate-limited mock (10 requests a minute) and 30 chat calls in a row. The mock's buckets, the pacer
 * and the retry policy share one virtual clock, so the minutes of waiting take no time and the
 * counts are exact.
 */
class PacingTest {

  private static final int CALLS = 30;

  private final VirtualTime time = new VirtualTime();

  private MockServer rateLimitedMock() {
    return MockServer.builder().nanoTime(time::nanoTime)
        .scenario(Scenario.builder().reply("ok").rateLimit(10, 1_000_000).window("1m").build())
        .start();
  }

  @Test
  void aPacedModelWaitsForTheServersLimitInsteadOfCollecting429s() {
    try (MockServer mock = rateLimitedMock()) {
      Pacer pacer = Pacer.builder().timeSource(time).build();
      OpenAiChatModel model = Models.chat(mock, Models.backoff4j(time).pacer(pacer));

      for (int i = 0; i < CALLS; i++) {
        assertThat(model.chat("hi")).isEqualTo("ok");
      }

      assertThat(mock.stats().count(429)).isZero();
      assertThat(mock.stats().totalRequests()).isEqualTo(CALLS);
      assertThat(pacer.stats().paced()).isPositive();
      // 30 requests at 10 a minute from a full bucket: at least the 2 minutes the last 20 need to refill
      assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofMinutes(2)).isLessThan(Duration.ofMinutes(3));
    }
  }

  @Test
  void withoutThePacerTheSameCallsMeetARateLimitEachOnceTheBucketIsEmpty() {
    try (MockServer mock = rateLimitedMock()) {
      OpenAiChatModel model = Models.chat(mock, Models.backoff4j(time));

      for (int i = 0; i < CALLS; i++) {
        assertThat(model.chat("hi")).isEqualTo("ok"); // each 429 is waited out as the server asks
      }

      assertThat(mock.stats().count(429)).isEqualTo(CALLS - 10);
    }
  }

  @Test
  void oneBuilderSharesItsPacerBetweenTheModelsBuiltFromIt() {
    try (MockServer mock = rateLimitedMock()) {
      Pacer pacer = Pacer.builder().timeSource(time).build();
      Backoff4jHttpClientBuilder http = Models.backoff4j(time).pacer(pacer);
      OpenAiChatModel first = Models.chat(mock, http);
      OpenAiChatModel second = Models.chat(mock, http);

      for (int i = 0; i < CALLS / 2; i++) {
        first.chat("hi");
        second.chat("hi");
      }

      assertThat(mock.stats().count(429)).isZero();
      assertThat(pacer.stats().reservations()).isEqualTo(CALLS);
    }
  }
}
