package dev.backoff4j.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.OutageWindow;
import dev.backoff4j.mock.Scenario;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each contender's three ways in (blocking, asynchronous, with a deadline) against the mock on
 * 127.0.0.1: what S1–S5 use, what S6 uses and what S2-long uses.
 */
class ContendersAgainstMockTest {

  private static MockServer server;

  @BeforeAll
  static void start() {
    server = MockServer.start(Scenario.builder().requestLogCapacity(0).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Iterable<Contender> contenders() {
    return Contenders.all();
  }

  @ParameterizedTest
  @MethodSource("contenders")
  void callsTheMockBlockingAndAsynchronously(Contender contender) throws Exception {
    server.scenario(Scenario.builder().requestLogCapacity(0).build());
    server.reset();
    try (ChatCaller caller = contender.open(server.baseUrl())) {
      caller.call();
      caller.callAsync().get(30, TimeUnit.SECONDS);
    }
    assertThat(server.stats().count(200)).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("contenders")
  void aDeadlineEndsACallDuringAnOutage(Contender contender) throws Exception {
    Duration deadline = Duration.ofSeconds(1);
    server.scenario(Scenario.builder().requestLogCapacity(0).build());
    try (ChatCaller warm = contender.open(server.baseUrl())) {
      warm.call(); // class loading first: on a loaded machine it can take longer than the deadline
    }
    server.scenario(Scenario.builder().outage(OutageWindow.of(Duration.ZERO, Duration.ofMinutes(1)))
        .requestLogCapacity(0).build());
    server.reset();
    try (ChatCaller caller = contender.open(server.baseUrl(), Optional.of(deadline))) {
      long start = System.nanoTime();
      assertThatThrownBy(caller::call).isInstanceOf(Exception.class);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (!Contenders.isBackoff4j(contender.name())) {
        // The harness's deadline: the call fails at it, after the attempts the contender made in time.
        assertThatThrownBy(caller::call).isInstanceOf(HarnessDeadline.DeadlineExceededException.class);
        assertThat(took).isBetween(deadline, deadline.plusSeconds(2));
      }
      // backoff4j's own deadline (maxElapsed) is not pinned here: when it gives up is what S2-long measures.
    }
    assertThat(server.stats().faults("outage")).as("attempts met the outage").isPositive();
  }
}
