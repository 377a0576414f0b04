package dev.backoff4j.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.model.openai.autoconfigure.OpenAiCommonProperties;

/** Spring AI's connection rules (OpenAiSetup's), as the starter reads them. */
class SpringAiConnectionTest {

  private static OpenAiCommonProperties properties() {
    return new OpenAiCommonProperties();
  }

  @Test
  void thePropertiesWinOverTheEnvironment() {
    OpenAiCommonProperties p = properties();
    p.setBaseUrl("http://127.0.0.1:9/v1");
    p.setApiKey("sk-property");
    p.setTimeout(Duration.ofSeconds(5));
    SpringAiConnection c = SpringAiConnection.of("chat", p,
        Map.of("OPENAI_BASE_URL", "http://env/v1", "OPENAI_API_KEY", "sk-env")::get);
    assertThat(c.baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
    assertThat(c.apiKey()).isEqualTo("sk-property");
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void unsetPropertiesAreReadFromTheEnvironmentThenDefaulted() {
    SpringAiConnection fromEnv = SpringAiConnection.of("chat", properties(),
        Map.of("OPENAI_BASE_URL", "http://env/v1", "OPENAI_API_KEY", "sk-env")::get);
    assertThat(fromEnv.baseUrl()).isEqualTo("http://env/v1");
    assertThat(fromEnv.apiKey()).isEqualTo("sk-env");
    assertThat(SpringAiConnection.of("chat", properties(), Map.of("OPENAI_API_KEY", "sk-env")::get).baseUrl())
        .isEqualTo("https://api.openai.com/v1");
  }

  @Test
  void gitHubModelsUseTheirUrlAndToken() {
    OpenAiCommonProperties p = properties();
    p.setGitHubModels(true);
    SpringAiConnection c = SpringAiConnection.of("chat", p, Map.of("GITHUB_TOKEN", "ghp-token")::get);
    assertThat(c.baseUrl()).isEqualTo("https://models.github.ai/inference");
    assertThat(c.apiKey()).isEqualTo("ghp-token");
  }

  @Test
  void withoutAnyKeyTheApplicationStopsSayingWhereToSetOne() {
    assertThatThrownBy(() -> SpringAiConnection.of("embedding", properties(), name -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("spring.ai.openai.api-key").hasMessageContaining("spring.ai.openai.embedding.api-key");
  }

  @Test
  void anEmptyKeyIsNoAuthenticationAndTheKeyIsNeverShown() {
    OpenAiCommonProperties p = properties();
    p.setApiKey("");
    assertThat(SpringAiConnection.of("chat", p, name -> null).toString()).contains("no auth");
    p.setApiKey("sk-secret-42");
    assertThat(SpringAiConnection.of("chat", p, name -> null).toString()).doesNotContain("sk-secret-42");
  }

  @Test
  void anAzureUrlMeansMicrosoftFoundryWhichIsRefused() {
    OpenAiCommonProperties p = properties();
    p.setBaseUrl("https://mine.openai.azure.com");
    p.setApiKey("k");
    assertThatThrownBy(() -> SpringAiConnection.of("chat", p, name -> null))
        .hasMessageContaining("Microsoft Foundry").hasMessageContaining("backoff4j.openai.enabled=false");
  }
}
