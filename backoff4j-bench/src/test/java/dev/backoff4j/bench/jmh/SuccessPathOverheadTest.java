package dev.backoff4j.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each benchmark computes what it claims to, without running JMH. */
class SuccessPathOverheadTest {

  private final SuccessPathOverhead bench = setUp();

  private static SuccessPathOverhead setUp() {
    SuccessPathOverhead bench = new SuccessPathOverhead();
    bench.setUp();
    return bench;
  }

  @Test
  void successPathBenchmarksReturnThePayloadWithoutTouchingTheFlakyCall() {
    List<Function<SuccessPathOverhead, Object>> benchmarks = List.of(
        SuccessPathOverhead::direct,
        SuccessPathOverhead::backoff4j,
        SuccessPathOverhead::resilience4j,
        SuccessPathOverhead::failsafe);
    for (Function<SuccessPathOverhead, Object> benchmark : benchmarks) {
      for (int i = 0; i < 3; i++) {
        assertThat(benchmark.apply(bench)).isSameAs(bench.payload);
      }
    }
    assertThat(bench.calls).isZero();
  }

  @Test
  void oneRetryBenchmarksFailOnceThenSucceedOnEveryInvocation() {
    List<Function<SuccessPathOverhead, Object>> benchmarks = List.of(
        SuccessPathOverhead::oneRetryDirect,
        SuccessPathOverhead::oneRetryBackoff4j,
        SuccessPathOverhead::oneRetryResilience4j,
        SuccessPathOverhead::oneRetryFailsafe);
    for (Function<SuccessPathOverhead, Object> benchmark : benchmarks) {
      for (int i = 0; i < 3; i++) {
        assertThat(benchmark.apply(bench)).isSameAs(bench.payload);
        assertThat(bench.calls).as("attempts in one invocation").isEqualTo(2);
      }
    }
  }

  @Test
  void theFlakyCallFailsOnlyOnTheFirstAttemptOfAnInvocation() {
    bench.calls = 0;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bench.flakyCall.get())
        .isSameAs(SuccessPathOverhead.TRANSIENT);
    assertThat(bench.flakyCall.get()).isSameAs(bench.payload);
  }
}
