package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FaultTokensTest {

  @ParameterizedTest
  @ValueSource(strings = {
    "200", "429", "503", "599", "quota", "hint-ms:200", "hint-s:1", "hint-date:2", "hint-absurd",
    "hint-negative", "hint-garbage", "retry:409", "noretry:500", "latency:1.5s", "stall", "reset", "cut",
    "malformed", "sse-cut:2", "sse-error:0", "sse-failed:5", "sse-rate-limit:3", "html502", "outage:2m0s"})
  void canonicalTokensRoundTrip(String token) {
    assertThat(Fault.parse(token).token()).isEqualTo(token);
    assertThat(Fault.parse(Fault.parse(token).token())).isEqualTo(Fault.parse(token));
  }

  @ParameterizedTest
  @CsvSource({
    "ok, 200",
    "' RESET ', reset",
    "hint-ms, hint-ms:200",
    "sse-cut, sse-cut:1",
    "SSE-Error, sse-error:1",
    "sse-failed, sse-failed:1",
    "sse-rate-limit, sse-rate-limit:1",
    "latency:500ms, latency:500ms",
    "outage:2m, outage:2m0s",
  })
  void aliasesDefaultsAndCaseAreNormalised(String input, String canonical) {
    assertThat(Fault.parse(input).token()).isEqualTo(canonical);
  }

  @Test
  void tokensCarryTheirParameters() {
    assertThat(Fault.parse("503")).isEqualTo(Fault.status(503));
    assertThat(Fault.parse("hint-ms:250")).isEqualTo(Fault.retryAfterMs(250));
    assertThat(Fault.parse("latency:20ms").duration()).isEqualTo(Duration.ofMillis(20));
    assertThat(Fault.parse("sse-cut:3").amount()).isEqualTo(3);
    assertThat(Fault.parse("noretry:409").status()).isEqualTo(409);
    assertThat(Fault.parse("quota").status()).isEqualTo(429);
    assertThat(Fault.parse("sse-failed:4")).isEqualTo(Fault.sseFailure(FaultKind.SSE_FAILED, 4));
    assertThat(Fault.parse("sse-rate-limit").status()).isEqualTo(200); // the stream's; see FaultKind
    assertThatThrownBy(() -> Fault.sseFailure(FaultKind.SSE_CUT, 1)).hasMessageContaining("not a stream failure");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "boom | unknown fault token 'boom'",
    "302 | status must be 200 or 400..599",
    "600 | status must be 200 or 400..599",
    "latency | needs a duration",
    "latency:fast | 'fast' is not a duration",
    "outage:-1s | '-1s' is not a duration",
    "retry | needs a status",
    "retry:abc | status must be",
    "hint-ms:-5 | not a non-negative whole number",
    "reset:3 | takes no ':' argument",
    "sse-error:soon | 'soon' is not a non-negative whole number",
    "sse-failed:-1 | '-1' is not a non-negative whole number",
  })
  void badTokensAreRejectedByName(String token, String message) {
    assertThatThrownBy(() -> Fault.parse(token))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void scriptParsesInOrderAndNamesTheBadEntry() {
    assertThat(FaultScript.parse("hint-ms:200, 503 ,200").faults())
        .containsExactly(Fault.retryAfterMs(200), Fault.status(503), Fault.NONE);
    assertThat(FaultScript.parse(" ")).isEqualTo(FaultScript.EMPTY);
    assertThat(FaultScript.parse("429,503,200")).hasToString("429,503,200");
    assertThatThrownBy(() -> FaultScript.parse("429,nope,200"))
        .hasMessageContaining("entry 2").hasMessageContaining("'nope'");
    assertThatThrownBy(() -> FaultScript.parse("429,,200")).hasMessageContaining("entry 2 is empty");
  }

  @Test
  void ratesParseValidateAndPick() {
    FaultRates rates = FaultRates.parse("500=0.1,reset=0.02,outage:2s=0.001");

    assertThat(rates.rates()).containsEntry(Fault.status(500), 0.1).containsEntry(Fault.parse("reset"), 0.02);
    assertThat(rates.pick(0.05)).isEqualTo(Fault.status(500));
    assertThat(rates.pick(0.11)).isEqualTo(Fault.parse("reset"));
    assertThat(rates.pick(0.5)).isEqualTo(Fault.NONE);
    assertThat(FaultRates.parse(rates.toString())).isEqualTo(rates);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "500 | must look like TOKEN=RATE",
    "500=lots | 'lots' is not a number",
    "500=1.5 | must be between 0 and 1",
    "500=0.6,503=0.6 | add up to",
    "bogus=0.1 | unknown fault token 'bogus'",
    "500=0.1,500=0.2 | given twice",
  })
  void badRatesAreRejectedByName(String spec, String message) {
    assertThatThrownBy(() -> FaultRates.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void latencyParsesFixedRangeAndExponential() {
    assertThat(Latency.parse("500ms")).isEqualTo(Latency.fixed(Duration.ofMillis(500)));
    assertThat(Latency.parse("100ms..300ms")).isEqualTo(Latency.uniform(Duration.ofMillis(100), Duration.ofMillis(300)));
    assertThat(Latency.parse("exp:50ms").exponentialMean()).isEqualTo(Duration.ofMillis(50));
    assertThat(Latency.parse("100ms..300ms").sampleNanos(() -> 0.5)).isEqualTo(200_000_000L);
    assertThat(Latency.parse("exp:50ms").sampleNanos(() -> 0.999999999)).isEqualTo(1_000_000_000L);
    assertThatThrownBy(() -> Latency.parse("300ms..100ms")).hasMessageContaining("shorter than min");
    assertThatThrownBy(() -> Latency.parse("soon")).hasMessageContaining("latency: 'soon'");
  }
}
