package dev.backoff4j.mock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class MockServerExtensionTest {

  @Nested
  @ExtendWith(MockServerExtension.class)
  class Declarative {
    @Test
    void injectsARunningServerOnLoopback(MockServer server) throws Exception {
      assertThat(server.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1");
      assertThat(new Http(server).chat().statusCode()).isEqualTo(200);
      assertThat(server.stats().totalRequests()).isEqualTo(1);
    }
  }

  @Nested
  class Registered {
    @RegisterExtension
    final MockServerExtension mock = MockServerExtension.withScenario(Scenario.builder().script("503").build());

    @Test
    void startsEachTestWithTheScenario() throws Exception {
      assertThat(new Http(mock.server()).chat().statusCode()).isEqualTo(503);
      assertThat(mock.stats().faults("503")).isEqualTo(1);
      assertThat(mock.baseUrl()).endsWith("/v1");
    }

    @Test
    void givesEveryTestAFreshServer() throws Exception {
      assertThat(mock.stats().totalRequests()).isZero();
      assertThat(new Http(mock.server()).chat().statusCode()).isEqualTo(503);
    }
  }

  @Test
  void accessorsFailOutsideATest() {
    MockServerExtension extension = new MockServerExtension();

    org.assertj.core.api.Assertions.assertThatThrownBy(extension::baseUrl)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only available while a test runs");
  }
}
