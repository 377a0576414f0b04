package dev.backoff4j.openai.headers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.http.Headers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  private static Headers headers(Map<String, String> values) {
    return Headers.of(values.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))));
  }

  @Test
  void readsAllSixHeaders() {
    RateLimits limits = RateLimits.from(headers(Map.of(
        "x-ratelimit-limit-requests", "500",
        "x-ratelimit-limit-tokens", "30000",
        "x-ratelimit-remaining-requests", "499",
        "x-ratelimit-remaining-tokens", "29000",
        "x-ratelimit-reset-requests", "120ms",
        "x-ratelimit-reset-tokens", "1h2m3.5s")));
    assertThat(limits.limitRequests()).hasValue(500);
    assertThat(limits.limitTokens()).hasValue(30000);
    assertThat(limits.remainingRequests()).hasValue(499);
    assertThat(limits.remainingTokens()).hasValue(29000);
    assertThat(limits.resetRequests()).contains(Duration.ofMillis(120));
    assertThat(limits.resetTokens()).contains(Duration.ofHours(1).plusMinutes(2).plusMillis(3500));
  }

  @Test
  void goDurationFormsParse() {
    assertThat(RateLimits.from(headers(Map.of("x-ratelimit-reset-requests", "1s"))).resetRequests())
        .contains(Duration.ofSeconds(1));
    assertThat(RateLimits.from(headers(Map.of("x-ratelimit-reset-requests", "6m0s"))).resetRequests())
        .contains(Duration.ofMinutes(6));
    assertThat(RateLimits.from(headers(Map.of("x-ratelimit-reset-requests", "1.5s"))).resetRequests())
        .contains(Duration.ofMillis(1500));
  }

  @Test
  void absentMinusOneAndGarbageReadAsEmpty() {
    RateLimits limits = RateLimits.from(headers(Map.of(
        "x-ratelimit-limit-requests", "-1",
        "x-ratelimit-remaining-tokens", "lots",
        "x-ratelimit-reset-requests", "-1",
        "x-ratelimit-reset-tokens", "soon")));
    assertThat(limits.limitRequests()).isEmpty();
    assertThat(limits.remainingTokens()).isEmpty();
    assertThat(limits.resetRequests()).isEmpty();
    assertThat(limits.resetTokens()).isEmpty();
    assertThat(limits.isEmpty()).isTrue();
    assertThat(RateLimits.from(Headers.empty())).isEqualTo(RateLimits.none());
  }

  @Test
  void toStringIsCompact() {
    RateLimits limits = RateLimits.from(headers(Map.of(
        "x-ratelimit-limit-requests", "500", "x-ratelimit-remaining-requests", "0",
        "x-ratelimit-reset-requests", "1s")));
    assertThat(limits).hasToString("RateLimits[requests 0/500 reset 1s, tokens ?/?]");
  }
}
