package dev.backoff4j.docs;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import java.nio.file.Path;

/** What the snippet tests share: the repository root, and the mock that $OPENAI_BASE_URL points at. */
final class Docs {
  static final Path ROOT = Path.of(System.getProperty("backoff4j.root", "..")).toAbsolutePath().normalize();

  private static MockServer envMock;

  private Docs() {}

  /**
   * The mock on the port that the build put into {@code $OPENAI_BASE_URL} (and the
   * {@code docs.mock.port} property), now serving {@code scenario} with fresh stats. Snippets that
   * build clients from the environment talk to it. Started once per test JVM.
   */
  static synchronized MockServer envMock(Scenario scenario) {
    if (envMock == null) {
      String port = System.getProperty("docs.mock.port");
      if (port == null || System.getenv("OPENAI_BASE_URL") == null) {
        throw new IllegalStateException("run through Maven: the build reserves docs.mock.port and sets"
            + " OPENAI_BASE_URL and OPENAI_API_KEY for these tests");
      }
      envMock = MockServer.builder().port(Integer.parseInt(port)).start();
      Runtime.getRuntime().addShutdownHook(new Thread(envMock::close));
    }
    envMock.scenario(scenario);
    envMock.reset();
    return envMock;
  }
}
