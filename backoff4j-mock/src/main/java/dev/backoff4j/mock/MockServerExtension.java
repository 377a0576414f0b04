package dev.backoff4j.mock;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives each test a fresh {@link MockServer} on a random 127.0.0.1 port and
 * stops it after the test.
 *
 * <p>Declaratively, with the default scenario, the server arrives as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(MockServerExtension.class)
 * class ClientTest {
 *   @Test void survivesA503(MockServer mock) {
 *     mock.scenario(Scenario.builder().script("503,200").build());
 *     ... client.baseUrl(mock.baseUrl()) ...
 *     assertThat(mock.stats().count(503)).isEqualTo(1);
 *   }
 * }
 * }</pre>
 *
 * <p>Or registered with a scenario, and read through the field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final MockServerExtension mock = MockServerExtension.withScenario(
 *     Scenario.builder().rateLimit(2, 1_000).window("1s").build());
 * @Test void isRateLimited() { ... mock.baseUrl() ... mock.stats() ... }
 * }</pre>
 *
 * Accessors throw {@link IllegalStateException} outside a running test.
 */
public final class MockServerExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private final Scenario scenario;
  private volatile MockServer current;

  /** With the default scenario; used by {@code @ExtendWith(MockServerExtension.class)}. */
  public MockServerExtension() {
    this(Scenario.defaults());
  }

  private MockServerExtension(Scenario scenario) {
    this.scenario = Objects.requireNonNull(scenario, "scenario");
  }

  /** An extension whose servers start with {@code scenario}. */
  public static MockServerExtension withScenario(Scenario scenario) {
    return new MockServerExtension(scenario);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    current = MockServer.start(scenario);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    MockServer server = current;
    current = null;
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MockServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server();
  }

  /** The current test's server. */
  public MockServer server() {
    MockServer server = current;
    if (server == null) {
      throw new IllegalStateException("no mock server: only available while a test runs");
    }
    return server;
  }

  /** The current server's base URL, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return server().baseUrl();
  }

  /** The current server's stats. */
  public MockStats stats() {
    return server().stats();
  }
}
