package dev.backoff4j.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.openai.sdk.UnsupportedSdkVersionException;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * An SDK older than the lowest supported (4.0.0, which lacks {@code HttpRequest.url()}), the bridge
 * compiled against 4.101.0. Runs in its own surefire execution with that class path.
 */
class TooOldSdkTest {

  @Test
  void theClassPathHoldsTheOldSdk() throws ClassNotFoundException {
    SdkUnderTest.assertOnTheClassPath();
  }

  @Test
  void buildFailsAtOnceNamingTheVersionTheRangeAndTheBom() {
    Backoff4jOpenAI.Builder builder = Backoff4jOpenAI.builder().baseUrl("http://127.0.0.1:1/v1").apiKey("sk-test");

    for (Throwable failure : new Throwable[] {catchThrowable(builder::build), catchThrowable(builder::buildAsync)}) {
      assertThat(failure).isInstanceOf(UnsupportedSdkVersionException.class)
          .hasMessageStartingWith("The SDK on the class path is openai-java " + SdkUnderTest.CORE
              + " (openai-java-core and openai-java-client-okhttp)")
          .hasMessageContaining("supports " + SdkUnderTest.LOWEST + " to " + SdkUnderTest.TESTED)
          .hasMessageContaining("dev.backoff4j:backoff4j-bom:" + SdkUnderTest.BACKOFF4J);
    }
  }

  @Test
  void withoutManifestsTheOldSdkIsFoundByWhatItLacks() throws Exception {
    try (URLClassLoader shaded = SdkUnderTest.withoutManifests()) {
      Throwable failure = catchThrowable(() -> SdkUnderTest.buildIn(shaded, "http://127.0.0.1:1/v1", "build"));

      assertThat(failure.getClass().getName()).isEqualTo(UnsupportedSdkVersionException.class.getName());
      assertThat(failure.getMessage())
          .startsWith("openai-java-core (version unknown) lacks com.openai.core.http.HttpRequest.url()")
          .contains("older than " + SdkUnderTest.LOWEST)
          .contains("dev.backoff4j:backoff4j-bom:" + SdkUnderTest.BACKOFF4J);
    }
  }
}
