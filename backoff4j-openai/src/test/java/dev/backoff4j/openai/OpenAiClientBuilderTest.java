package dev.backoff4j.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.openai.Version;
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiClientBuilderTest {

  private static OpenAiClientBuilder builder(Map<String, String> env) {
    return OpenAiClient.builder().environment(env::get);
  }

  @Test
  void baseUrlDefaultsToTheEnvironmentThenOpenAi() {
    assertThat(builder(Map.of()).build().baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(builder(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1/")).build().baseUrl())
        .isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(builder(Map.of("OPENAI_BASE_URL", "http://a/v1")).baseUrl("http://b/v1").build().baseUrl())
        .isEqualTo("http://b/v1");
  }

  @Test
  void apiKeyComesFromTheEnvironmentAndIsNeverShown() {
    OpenAiClient client = builder(Map.of("OPENAI_API_KEY", "sk-env-0123456789")).build();
    assertThat(client.toString()).contains("key set").doesNotContain("0123456789");
    assertThat(builder(Map.of()).build().toString()).contains("no key");
  }

  @Test
  void invalidSettingsFailAtBuildNamingTheSetting() {
    assertThatThrownBy(() -> builder(Map.of()).baseUrl("ftp://x/v1").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'baseUrl'");
    assertThatThrownBy(() -> builder(Map.of()).baseUrl("not a url").build())
        .hasMessageContaining("'baseUrl'");
    assertThatThrownBy(() -> builder(Map.of()).timeout(Duration.ZERO).build()).hasMessageContaining("'timeout'");
    assertThatThrownBy(() -> builder(Map.of()).connectTimeout(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("'connectTimeout'");
    assertThatThrownBy(() -> builder(Map.of()).organization("org\r\nX-Evil: 1").build())
        .hasMessageContaining("'organization'");
  }

  @Test
  void aKeyWithWhitespaceIsRejectedWithoutEchoingIt() {
    assertThatThrownBy(() -> builder(Map.of()).apiKey("sk-abc def-SECRET").build())
        .hasMessageContaining("'apiKey'").message().doesNotContain("SECRET");
  }

  @Test
  void timeoutReplacesThePolicysAttemptTimeout() {
    OpenAiClient client = builder(Map.of()).timeout(Duration.ofSeconds(42)).build();
    assertThat(client.retryPolicy().attemptTimeout()).contains(Duration.ofSeconds(42));
  }

  @Test
  void toBuilderKeepsSettingsAndEachClientGetsItsOwnBudget() {
    OpenAiClient first = builder(Map.of()).baseUrl("http://127.0.0.1:1/v1").build();
    OpenAiClient second = first.toBuilder().build();
    assertThat(second.baseUrl()).isEqualTo(first.baseUrl());
    assertThat(second.retryPolicy().budget().orElseThrow()).isNotSameAs(first.retryPolicy().budget().orElseThrow());
    assertThat(first.newBuilder().build().baseUrl()).isEqualTo(first.baseUrl());
  }

  @Test
  void presetIsDocumented() {
    RetryPolicy<Object> preset = OpenAiRetryPolicy.defaults();
    assertThat(preset.maxAttempts()).isEqualTo(5);
    assertThat(preset.initialDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(preset.maxDelay()).isEqualTo(Duration.ofSeconds(8));
    assertThat(preset.jitter()).isEqualTo(Jitter.EQUAL);
    assertThat(preset.maxServerDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(preset.attemptTimeout()).contains(Duration.ofMinutes(5));
    assertThat(preset.maxElapsed()).contains(Duration.ofMinutes(10));
    assertThat(preset.budget().orElseThrow().toString())
        .isEqualTo("RetryBudget[ratio=0.0, successRatio=0.2, minRetriesPerSecond=2.0, maxBalance=20.0]");
  }

  @Test
  void userAgentNamesBackoff4jItsVersionAndJava() {
    assertThat(Version.get()).isNotEqualTo("unknown").doesNotContain("${");
    assertThat(Version.userAgent())
        .isEqualTo("backoff4j/" + Version.get() + " Java/" + System.getProperty("java.version"));
  }
}
