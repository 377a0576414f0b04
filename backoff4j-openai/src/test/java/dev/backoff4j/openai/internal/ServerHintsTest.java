package dev.backoff4j.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.openai.http.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerHintsTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static Optional<ServerHint> find(Map<String, String> headers, String message) {
    Map<String, List<String>> multi = new java.util.LinkedHashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return ServerHints.find(Headers.of(multi), message, NOW);
  }

  @Test
  void retryAfterMsIsMilliseconds() {
    assertThat(find(Map.of("retry-after-ms", "1030"), null))
        .contains(new ServerHint(Duration.ofMillis(1030), "retry-after-ms"));
  }

  @Test
  void azureRetryAfterMsIsMilliseconds() {
    assertThat(find(Map.of("x-ms-retry-after-ms", "250"), null))
        .contains(new ServerHint(Duration.ofMillis(250), "x-ms-retry-after-ms"));
  }

  @Test
  void retryAfterIsSecondsAndMayBeFractional() {
    assertThat(find(Map.of("Retry-After", "2"), null)).contains(new ServerHint(Duration.ofSeconds(2), "retry-after"));
    assertThat(find(Map.of("Retry-After", "1.5"), null)).contains(new ServerHint(Duration.ofMillis(1500), "retry-after"));
  }

  @Test
  void retryAfterMayBeAnHttpDate() {
    assertThat(find(Map.of("Retry-After", "Thu, 01 Jan 2026 00:00:07 GMT"), null))
        .contains(new ServerHint(Duration.ofSeconds(7), "retry-after-date"));
  }

  @Test
  void pastHttpDateIsIgnored() {
    assertThat(find(Map.of("Retry-After", "Wed, 31 Dec 2025 23:59:00 GMT"), null)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "-5", "0", "", "NaN", "1e-9999", "Thu, 99 Foo 2026"})
  void garbageNegativeAndZeroAreIgnored(String value) {
    assertThat(find(Map.of("retry-after-ms", value, "Retry-After", value), null)).isEmpty();
  }

  @Test
  void hugeValuesAreKeptHugeNotOverflowed() {
    // The policy's maxServerDelay and deadline reject it; the parser must neither throw nor wrap around.
    assertThat(find(Map.of("retry-after-ms", "1e999999999"), null).orElseThrow().delay()).isEqualTo(Duration.ofDays(365));
    assertThat(find(Map.of("Retry-After", "99999999999999999999"), null).orElseThrow().delay())
        .isEqualTo(Duration.ofDays(365));
  }

  @Test
  void headersAreTriedInOrder() {
    assertThat(find(Map.of("retry-after-ms", "100", "x-ms-retry-after-ms", "200", "Retry-After", "3"), null))
        .map(ServerHint::source).contains("retry-after-ms");
    assertThat(find(Map.of("x-ms-retry-after-ms", "200", "Retry-After", "3"), null))
        .map(ServerHint::source).contains("x-ms-retry-after-ms");
  }

  @Test
  void aBadHeaderFallsThroughToTheNextSource() {
    assertThat(find(Map.of("retry-after-ms", "garbage", "Retry-After", "3"), null))
        .contains(new ServerHint(Duration.ofSeconds(3), "retry-after"));
  }

  @Test
  void messageIsTheLastResort() {
    String message = "Rate limit reached for gpt-4o in organization org-x on tokens per min. Please try again in 1.5s.";
    assertThat(find(Map.of(), message)).contains(new ServerHint(Duration.ofMillis(1500), "message"));
    assertThat(find(Map.of(), "Please try again in 456ms.")).contains(new ServerHint(Duration.ofMillis(456), "message"));
    assertThat(find(Map.of(), "Please try again in 6m0s.")).contains(new ServerHint(Duration.ofMinutes(6), "message"));
    assertThat(find(Map.of("retry-after-ms", "20"), message)).map(ServerHint::source).contains("retry-after-ms");
  }

  @Test
  void messageWithoutADelayGivesNothing() {
    assertThat(find(Map.of(), "You exceeded your current quota, please check your plan.")).isEmpty();
  }
}
