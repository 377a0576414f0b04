package dev.backoff4j.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.Fault;
import dev.backoff4j.mock.FaultKind;
import dev.backoff4j.mock.FaultScript;
import dev.backoff4j.mock.HeaderMatch;
import dev.backoff4j.mock.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ScenarioStateTest {
  private static final Function<String, String> NO_HEADERS = name -> null;
  private final AtomicLong now = new AtomicLong();

  private ScenarioState state(Scenario scenario) {
    return new ScenarioState(scenario, now::get);
  }

  @Test
  void scriptedFaultsApplyInOrderThenRequestsPass() {
    ScenarioState state = state(Scenario.builder().script("429,503,200").build());

    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tokens.add(state.nextFault(NO_HEADERS).token());
    }

    assertThat(tokens).containsExactly("429", "503", "200", "200", "200");
  }

  @Test
  void onlyMatchingRequestsConsumeAHeaderScopedScript() {
    ScenarioState state = state(Scenario.builder()
        .script(FaultScript.parse("500").onlyWhen(new HeaderMatch("X-Case", "a"))).build());
    Map<String, String> caseA = Map.of("x-case", "a");

    assertThat(state.nextFault(NO_HEADERS)).isEqualTo(Fault.NONE);
    assertThat(state.nextFault(Map.of("x-case", "b")::get)).isEqualTo(Fault.NONE);
    assertThat(state.nextFault(caseA::get)).isEqualTo(Fault.status(500));
    assertThat(state.nextFault(caseA::get)).isEqualTo(Fault.NONE);
  }

  @Test
  void outageTokenFailsEveryRequestUntilItEnds() {
    ScenarioState state = state(Scenario.builder().script("outage:3s").build());

    assertThat(state.nextFault(NO_HEADERS).kind()).isEqualTo(FaultKind.OUTAGE);
    now.addAndGet(Duration.ofMillis(2_999).toNanos());
    assertThat(state.nextFault(NO_HEADERS).kind()).isEqualTo(FaultKind.OUTAGE);
    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(state.nextFault(NO_HEADERS)).isEqualTo(Fault.NONE);
  }

  @Test
  void seededRandomFaultsAreReproducible() {
    Scenario scenario = Scenario.builder().faultRates("503=0.3,reset=0.2").seed(99).build();
    ScenarioState first = state(scenario);
    ScenarioState second = state(scenario);

    List<Fault> a = new ArrayList<>();
    List<Fault> b = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      a.add(first.nextFault(NO_HEADERS));
      b.add(second.nextFault(NO_HEADERS));
    }

    assertThat(a).isEqualTo(b);
    assertThat(a).contains(Fault.status(503), Fault.parse("reset"), Fault.NONE);
  }

  @Test
  void latencySamplingDoesNotShiftASeededFaultSequence() {
    ScenarioState quiet = state(Scenario.builder().faultRates("503=0.5").seed(42).build());
    ScenarioState slow = state(Scenario.builder().faultRates("503=0.5").latency("10ms..20ms").seed(42).build());

    List<Fault> a = new ArrayList<>();
    List<Fault> b = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      a.add(quiet.nextFault(NO_HEADERS));
      quiet.sampleLatencyNanos();
      b.add(slow.nextFault(NO_HEADERS));
      slow.sampleLatencyNanos();
    }

    assertThat(a).isEqualTo(b);
  }

  @Test
  void scriptTakesPrecedenceOverRandomFaults() {
    ScenarioState state = state(Scenario.builder().script("418").faultRates("503=1.0").build());

    assertThat(state.nextFault(NO_HEADERS)).isEqualTo(Fault.status(418));
    assertThat(state.nextFault(NO_HEADERS)).isEqualTo(Fault.status(503));
  }

  @Test
  void latencySamplesStayWithinTheConfiguredRange() {
    ScenarioState state = state(Scenario.builder().latency("10ms..20ms").seed(1).build());

    for (int i = 0; i < 100; i++) {
      assertThat(state.sampleLatencyNanos()).isBetween(10_000_000L, 20_000_000L);
    }
  }
}
