package dev.backoff4j.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.Scenario;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge in jars without the SDK's manifests, as after shading, on the lowest supported SDK: the
 * version is unknown, and the probes alone must let it run (the mismatch and the too-old SDK without
 * manifests are in {@link MismatchedSdkTest} and {@link TooOldSdkTest}). Run in the {@code sdk-lowest}
 * execution only: it loads every class anew, which takes seconds.
 */
class ShadedSdkTest {

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  @Test
  void theBridgeRunsWhenTheJarsHaveNoManifest() throws Throwable {
    SdkUnderTest.assertOnTheClassPath();
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().build());
    try (URLClassLoader shaded = SdkUnderTest.withoutManifests()) {
      assertThat(Class.forName("com.openai.core.ClientOptions", false, shaded).getPackage()
          .getImplementationVersion()).as("the SDK's version in a loader without manifests").isNull();

      Object client = SdkUnderTest.buildIn(shaded, mock.baseUrl(), "build");
      try {
        Object page = SdkUnderTest.call(SdkUnderTest.call(client, "models"), "list");
        assertThat((List<?>) SdkUnderTest.call(page, "data")).isNotEmpty();
      } finally {
        SdkUnderTest.call(client, "close");
      }
    }
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }
}
