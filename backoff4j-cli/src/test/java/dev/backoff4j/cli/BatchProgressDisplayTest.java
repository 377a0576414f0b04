package dev.backoff4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.gate.GateState;
import dev.backoff4j.openai.gate.GateStats;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the batch progress line shows the outage gate. */
class BatchProgressDisplayTest {

  private static GateStats stats(GateState state, int waiting, Instant since) {
    return new GateStats(state, waiting, Optional.ofNullable(since), 0, 1, 3, 2, 1, state == GateState.RECOVERING ? 4 : 0,
        Optional.empty());
  }

  @Test
  void anOpenGateAddsNothing() {
    assertThat(BatchProgressDisplay.gate(stats(GateState.OPEN, 0, null))).isEmpty();
  }

  @Test
  void aClosedGateSaysSinceWhenAndHowManyWait() {
    assertThat(BatchProgressDisplay.gate(stats(GateState.CLOSED, 120, Instant.parse("2026-01-01T12:00:01.250Z"))))
        .isEqualTo(", gate closed since 2026-01-01T12:00:01Z (120 waiting)");
  }

  @Test
  void aRecoveringGateSaysHowManyAreStillToGo() {
    assertThat(BatchProgressDisplay.gate(stats(GateState.RECOVERING, 40, Instant.parse("2026-01-01T12:00:01Z"))))
        .isEqualTo(", gate recovering (40 waiting)");
  }
}
