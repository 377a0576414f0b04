package dev.backoff4j.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.openai.sdk.UnsupportedSdkVersionException;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * Spring AI 2.0.1's case: openai-java-core 4.49.0 beside openai-java-client-okhttp 4.101.0, the bridge
 * compiled against 4.101.0. Runs in its own surefire execution with that class path.
 */
class MismatchedSdkTest {

  @Test
  void theClassPathIsTheBrokenOne() throws ClassNotFoundException {
    SdkUnderTest.assertOnTheClassPath();
    assertThat(SdkUnderTest.CORE).isNotEqualTo(SdkUnderTest.CLIENT_OKHTTP);
    // Without the check, this is what the first bridged call would die of.
    assertThatThrownBy(() -> Class.forName("com.openai.client.okhttp.OkHttpClient"))
        .isInstanceOf(NoClassDefFoundError.class).hasMessageContaining("com/openai/core/http/WebSocketClient");
  }

  @Test
  void buildFailsAtOnceNamingBothVersionsTheRangeAndTheBom() {
    Backoff4jOpenAI.Builder builder = Backoff4jOpenAI.builder().baseUrl("http://127.0.0.1:1/v1").apiKey("sk-test");

    for (Throwable failure : new Throwable[] {catchThrowable(builder::build), catchThrowable(builder::buildAsync)}) {
      assertThat(failure).isInstanceOfSatisfying(UnsupportedSdkVersionException.class, e -> {
        assertThat(e.coreVersion()).hasValue(SdkUnderTest.CORE);
        assertThat(e.clientOkHttpVersion()).hasValue(SdkUnderTest.CLIENT_OKHTTP);
      });
      assertThat(failure.getMessage())
          .startsWith("openai-java-core " + SdkUnderTest.CORE + " and openai-java-client-okhttp "
              + SdkUnderTest.CLIENT_OKHTTP + " are on the class path")
          .contains(SdkUnderTest.LOWEST + " to " + SdkUnderTest.TESTED)
          .contains("dev.backoff4j:backoff4j-bom:" + SdkUnderTest.BACKOFF4J)
          .contains("<artifactId>backoff4j-bom</artifactId><version>" + SdkUnderTest.BACKOFF4J + "</version>");
    }
  }

  @Test
  void withoutManifestsTheMismatchIsFoundByProbing() throws Exception {
    try (URLClassLoader shaded = SdkUnderTest.withoutManifests()) {
      Throwable failure = catchThrowable(() -> SdkUnderTest.buildIn(shaded, "http://127.0.0.1:1/v1", "build"));

      assertThat(failure.getClass().getName()).isEqualTo(UnsupportedSdkVersionException.class.getName());
      assertThat(failure.getMessage())
          .startsWith("openai-java-client-okhttp does not fit the openai-java-core beside it")
          .contains("version unknown")
          .contains("com/openai/core/http/WebSocketClient")
          .contains("dev.backoff4j:backoff4j-bom:" + SdkUnderTest.BACKOFF4J);
    }
  }
}
