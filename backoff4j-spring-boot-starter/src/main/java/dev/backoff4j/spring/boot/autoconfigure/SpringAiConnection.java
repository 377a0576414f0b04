package dev.backoff4j.spring.boot.autoconfigure;

import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import java.net.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.springframework.ai.model.openai.autoconfigure.AbstractOpenAiProperties;
import org.springframework.ai.openai.setup.OpenAiSetup;

/**
 * Where and as whom a Spring AI model's client connects, read from Spring AI's own resolved
 * properties ({@code spring.ai.openai.*}, with the model's {@code spring.ai.openai.chat.*} or
 * {@code .embedding.*} overrides) by the rules of Spring AI's {@code OpenAiSetup}: base URL from the
 * property, else {@code $OPENAI_BASE_URL}, else OpenAI's; key from the property, else
 * {@code $OPENAI_API_KEY}; an empty key means "no authentication" (no {@code Authorization} header
 * is sent); GitHub Models' URL and {@code $GITHUB_TOKEN}. Microsoft Foundry (Azure) is refused: it
 * signs requests in ways this starter does not bridge.
 *
 * @param model {@code chat} or {@code embedding}, for messages
 * @param apiKey the key, {@code ""} for no authentication
 * @param timeout Spring AI's per-call timeout for the model ({@code spring.ai.openai.timeout}, 60 s by default)
 * @param maxRetries Spring AI's {@code max-retries} (not used: the SDK's retries stay off)
 */
record SpringAiConnection(String model, String baseUrl, String apiKey, String organization, Map<String, String> headers,
    Proxy proxy, Duration timeout, int maxRetries) {

  static final String OPENAI_URL = "https://api.openai.com/v1";
  static final String GITHUB_MODELS_URL = "https://models.github.ai/inference";
  /** Spring AI's {@code User-Agent}, kept so that servers see the same client as without the starter. */
  static final String USER_AGENT = "spring-ai-openai";
  /** Spring AI's stand-in for "no key": the SDK insists on a credential; the header is removed before sending. */
  static final String NO_AUTH_PLACEHOLDER = "no-auth-placeholder";

  /** Where this connection's settings live, for messages. */
  String prefix() {
    return "spring.ai.openai." + model;
  }

  /**
   * @param resolved Spring AI's common properties with the model's overrides ({@code OpenAiAutoConfigurationUtil})
   * @param environment where {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY} and {@code GITHUB_TOKEN} are read
   * @throws IllegalStateException for Microsoft Foundry or a credential, or when no key is found
   */
  static SpringAiConnection of(String model, AbstractOpenAiProperties resolved, Function<String, String> environment) {
    String prefix = "spring.ai.openai." + model;
    String baseUrl = resolved.getBaseUrl() != null ? resolved.getBaseUrl() : environment.apply("OPENAI_BASE_URL");
    OpenAiSetup.ModelProvider provider = OpenAiSetup.detectModelProvider(resolved.isMicrosoftFoundry(),
        resolved.isGitHubModels(), baseUrl != null ? baseUrl : environment.apply("AZURE_OPENAI_BASE_URL"),
        resolved.getMicrosoftDeploymentName(), resolved.getMicrosoftFoundryServiceVersion());
    if (provider == OpenAiSetup.ModelProvider.MICROSOFT_FOUNDRY || resolved.getCredential() != null) {
      throw new IllegalStateException("backoff4j-spring-boot-starter bridges OpenAI-compatible endpoints that take an"
          + " API key; Spring AI's Microsoft Foundry settings (spring.ai.openai[." + model + "].microsoft-foundry,"
          + " deployment-name, microsoft-foundry-service-version, credential, or an Azure base URL) are not supported."
          + " Remove them, or set backoff4j.openai.enabled=false to let Spring AI build its own clients");
    }
    if (provider == OpenAiSetup.ModelProvider.GITHUB_MODELS) {
      baseUrl = baseUrl != null && baseUrl.startsWith(GITHUB_MODELS_URL) ? baseUrl : GITHUB_MODELS_URL;
    } else if (baseUrl == null || baseUrl.isBlank()) {
      baseUrl = OPENAI_URL;
    }
    String apiKey = resolved.getApiKey() != null ? resolved.getApiKey()
        : environment.apply(provider == OpenAiSetup.ModelProvider.GITHUB_MODELS ? "GITHUB_TOKEN" : "OPENAI_API_KEY");
    if (apiKey == null) {
      throw new IllegalStateException("no API key for Spring AI's OpenAI " + model + " model: set spring.ai.openai.api-key"
          + " (or " + prefix + ".api-key, or $OPENAI_API_KEY); an empty value sends none, for servers without"
          + " authentication");
    }
    return new SpringAiConnection(model, baseUrl, apiKey, blankToNull(resolved.getOrganizationId()),
        Map.copyOf(resolved.getCustomHeaders()), resolved.getProxy(), resolved.getTimeout(), resolved.getMaxRetries());
  }

  /**
   * This connection's settings on a bridged client's builder; the SDK's own timeout is set to the
   * builder's attempt timeout by the caller ({@link dev.backoff4j.spring.boot.Backoff4jClientFactory}).
   */
  void applyTo(Backoff4jOpenAI.Builder builder) {
    // Spring AI's environment rules were applied above; the pipeline must not read other variables.
    builder.environment(name -> null).baseUrl(baseUrl).organization(organization);
    boolean noAuth = apiKey.isEmpty();
    builder.apiKey(noAuth ? NO_AUTH_PLACEHOLDER : apiKey);
    builder.clientOptions(options -> {
      options.putHeader("User-Agent", USER_AGENT);
      headers.forEach(options::putHeader);
    });
    if (proxy != null) {
      builder.transport(okHttp -> okHttp.proxy(proxy));
    }
    if (noAuth) {
      builder.transport(okHttp -> okHttp.addInterceptor(
          chain -> chain.proceed(chain.request().newBuilder().removeHeader("Authorization").build())));
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** The settings, never the key. */
  @Override
  public String toString() {
    return "SpringAiConnection[" + model + ", " + baseUrl + ", key " + (apiKey.isEmpty() ? "none (no auth)" : "set") + "]";
  }
}
