package dev.backoff4j.spring.boot.autoconfigure;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import dev.backoff4j.spring.boot.Backoff4jClientFactory;
import dev.backoff4j.spring.boot.Backoff4jProperties;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.ai.model.openai.autoconfigure.AbstractOpenAiProperties;
import org.springframework.ai.model.openai.autoconfigure.OpenAiAutoConfigurationUtil;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatProperties;
import org.springframework.ai.model.openai.autoconfigure.OpenAiCommonProperties;
import org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingProperties;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Spring AI's {@link OpenAiChatModel} and {@link OpenAiEmbeddingModel} on bridged SDK clients (sync
 * and async for chat, so streaming is bridged too), built from Spring AI's own
 * {@code spring.ai.openai.*} connection settings with the SDK's retries off. Runs before Spring AI's
 * {@code OpenAiChatAutoConfiguration}/{@code OpenAiEmbeddingAutoConfiguration}, whose
 * {@code @ConditionalOnMissingBean} then back off; reuses Spring AI's properties classes and options,
 * so tool calling, observations and model options behave as without the starter. Gated by
 * {@code spring.ai.model.chat} / {@code spring.ai.model.embedding} as Spring AI's are; a model
 * bean of the application's own wins.
 *
 * <p>Which setting wins: backoff4j's. The SDK's retries stay 0, so
 * {@code spring.ai.openai.max-retries} is not used (a warning says so when it is set). The
 * per-attempt limit is {@code backoff4j.openai.attempt-timeout} when set, else Spring AI's
 * {@code timeout} (60 s by default); it also becomes the model options' per-call timeout, which
 * would otherwise cap every attempt at 60 s.
 */
@AutoConfiguration(after = Backoff4jAutoConfiguration.class, beforeName = {
    "org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration",
    "org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration"})
@ConditionalOnClass(name = {"org.springframework.ai.openai.OpenAiChatModel",
    "org.springframework.ai.model.openai.autoconfigure.OpenAiCommonProperties"})
@ConditionalOnProperty(prefix = Backoff4jProperties.PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(Backoff4jClientFactory.class)
@EnableConfigurationProperties({OpenAiCommonProperties.class, OpenAiChatProperties.class, OpenAiEmbeddingProperties.class})
public class Backoff4jSpringAiAutoConfiguration {

  private static final Log LOG = LogFactory.getLog(Backoff4jSpringAiAutoConfiguration.class);

  /** Where Spring AI's rules read variables ({@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, ...). */
  private static final Function<String, String> ENVIRONMENT = System::getenv;

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(name = "spring.ai.model.chat", havingValue = "openai", matchIfMissing = true)
  @SuppressWarnings("removal") // Spring AI's own auto-configuration still hands the model its ToolCallingManager
  public OpenAiChatModel openAiChatModel(Backoff4jClientFactory clients, Backoff4jProperties backoff4j,
      OpenAiCommonProperties common, OpenAiChatProperties chat, ObjectProvider<ToolCallingManager> toolCallingManager,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<ChatModelObservationConvention> observationConvention,
      ObjectProvider<OpenAiHttpClientBuilderCustomizer> springAiCustomizers) {
    warnIfAny(springAiCustomizers);
    SpringAiConnection connection = connection("chat", common, chat);
    Duration attemptTimeout = attemptTimeout(backoff4j, connection);
    OpenAIClient sync = clients.build("spring-ai-chat", attemptTimeout, connection::applyTo);
    OpenAIClientAsync async = clients.buildAsync("spring-ai-chat", attemptTimeout, connection::applyTo);
    OpenAiChatOptions options = chat.toOptions().mutate().timeout(attemptTimeout).build();
    OpenAiChatModel.Builder model = OpenAiChatModel.builder().openAiClient(sync).openAiClientAsync(async)
        .options(options).observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
    toolCallingManager.ifAvailable(model::toolCallingManager);
    OpenAiChatModel built = model.build();
    observationConvention.ifAvailable(built::setObservationConvention);
    return built;
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(name = "spring.ai.model.embedding", havingValue = "openai", matchIfMissing = true)
  public OpenAiEmbeddingModel openAiEmbeddingModel(Backoff4jClientFactory clients, Backoff4jProperties backoff4j,
      OpenAiCommonProperties common, OpenAiEmbeddingProperties embedding,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<EmbeddingModelObservationConvention> observationConvention) {
    SpringAiConnection connection = connection("embedding", common, embedding);
    Duration attemptTimeout = attemptTimeout(backoff4j, connection);
    OpenAIClient sync = clients.build("spring-ai-embedding", attemptTimeout, connection::applyTo);
    OpenAiEmbeddingOptions options = OpenAiEmbeddingOptions.builder().from(embedding.toOptions())
        .timeout(attemptTimeout).build();
    OpenAiEmbeddingModel built = OpenAiEmbeddingModel.builder().openAiClient(sync)
        .metadataMode(embedding.getMetadataMode()).options(options)
        .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP)).build();
    observationConvention.ifAvailable(built::setObservationConvention);
    return built;
  }

  private static SpringAiConnection connection(String model, OpenAiCommonProperties common, AbstractOpenAiProperties specific) {
    SpringAiConnection connection =
        SpringAiConnection.of(model, OpenAiAutoConfigurationUtil.resolveCommonProperties(common, specific), ENVIRONMENT);
    if (connection.maxRetries() != AbstractOpenAiProperties.DEFAULT_MAX_RETRIES) {
      LOG.warn("spring.ai.openai.max-retries=" + connection.maxRetries() + " is not used for the " + model
          + " model: backoff4j retries (backoff4j.openai.max-retries) and the SDK's own retries stay off");
    }
    return connection;
  }

  /**
   * Spring AI's customizers shape its own OkHttp client, which the bridged clients do not use: say so
   * once, rather than drop a proxy or an interceptor silently.
   */
  private static void warnIfAny(ObjectProvider<OpenAiHttpClientBuilderCustomizer> springAiCustomizers) {
    long count = springAiCustomizers.orderedStream().count();
    if (count > 0) {
      LOG.warn(count + " OpenAiHttpClientBuilderCustomizer bean(s) not applied: the chat and embedding models run on"
          + " backoff4j's bridged clients (the SDK's OkHttp client); use a Backoff4jOpenAiCustomizer bean"
          + " (builder.transport(okHttp -> ...)) instead");
    }
  }

  /** backoff4j's attempt timeout when set; else Spring AI's timeout for the model. */
  private static Duration attemptTimeout(Backoff4jProperties backoff4j, SpringAiConnection connection) {
    return backoff4j.getAttemptTimeout() != null ? backoff4j.getAttemptTimeout() : connection.timeout();
  }
}
