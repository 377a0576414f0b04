package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class MockServerTest {

  @Test
  void serverBuilderRejectsInvalidSettingsByName() {
    assertThatThrownBy(() -> MockServer.builder().port(70_000).start()).hasMessageContaining("port");
    assertThatThrownBy(() -> MockServer.builder().ioThreads(0).start()).hasMessageContaining("ioThreads");
    assertThatThrownBy(() -> MockServer.builder().host(" ").start()).hasMessageContaining("host");
  }

  @Test
  void settersRejectAnInvalidValueAtOnce() {
    MockServer.Builder builder = MockServer.builder();

    assertThatThrownBy(() -> builder.port(-1)).hasMessage("port must be 0..65535, was -1");
    assertThatThrownBy(() -> builder.ioThreads(257)).hasMessage("ioThreads must be 1..256, was 257");
  }

  @Test
  void aPortInUseIsOneClearErrorNamingTheAddress() {
    try (MockServer first = MockServer.start(Scenario.defaults())) {
      int port = first.port();

      assertThatThrownBy(() -> MockServer.builder().port(port).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ")
          .hasMessageContaining("in use");
    }
  }

  @Test
  void aFailedStartLeavesNoEventLoopThreadBehind() throws Exception {
    try (MockServer first = MockServer.start(Scenario.defaults())) {
      long before = eventLoopThreads();

      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> MockServer.builder().port(first.port()).start()).isNotNull();
      }

      long deadline = System.nanoTime() + 5_000_000_000L;
      while (eventLoopThreads() > before && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(eventLoopThreads()).as("event-loop threads after three failed starts").isLessThanOrEqualTo(before);
    }
  }

  @Test
  void closeIsIdempotent() {
    MockServer server = MockServer.start(Scenario.defaults());

    server.close();
    server.close();

    assertThat(server.toString()).contains("127.0.0.1");
  }

  private static long eventLoopThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("multiThreadIoEventLoopGroup-"))
        .count();
  }
}
