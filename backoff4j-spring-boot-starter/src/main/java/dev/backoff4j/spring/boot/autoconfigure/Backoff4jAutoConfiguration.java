package dev.backoff4j.spring.boot.autoconfigure;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import dev.backoff4j.micrometer.Backoff4jMetrics;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.spring.boot.Backoff4jClientFactory;
import dev.backoff4j.spring.boot.Backoff4jOpenAiCustomizer;
import dev.backoff4j.spring.boot.Backoff4jProperties;
import dev.backoff4j.time.TimeSource;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The parts every bridged client shares: the retry policy (one retry budget), the pacer, the outage
 * gate, the client factory; and, when Spring AI's OpenAI module is absent, an {@link OpenAIClient} and an
 * {@link OpenAIClientAsync} bean on backoff4j's pipeline. Each bean backs off when the application
 * defines its own of the type. {@code backoff4j.openai.enabled=false} switches the starter off.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = Backoff4jProperties.PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(Backoff4jProperties.class)
public class Backoff4jAutoConfiguration {

  /** The clock of the retry policy and the pacer; a {@code VirtualTime} bean in tests. */
  @Bean
  @ConditionalOnMissingBean
  public TimeSource backoff4jTimeSource() {
    return TimeSource.system();
  }

  /** The preset with {@code backoff4j.openai.*}, its one budget shared by every client. */
  @Bean
  @ConditionalOnMissingBean(RetryPolicy.class)
  public RetryPolicy<Object> backoff4jRetryPolicy(Backoff4jProperties properties, TimeSource time) {
    return properties.retryPolicy(time);
  }

  /** A pacer shared by every client, when {@code backoff4j.openai.pacing.*} asks for one. */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnPacingCondition.class)
  public Pacer backoff4jPacer(Backoff4jProperties properties, TimeSource time,
      ObjectProvider<Backoff4jMetrics> metrics) {
    Pacer.Builder builder = properties.pacer(time).orElseThrow();
    metrics.ifAvailable(m -> builder.addListener(m.pacerListener()));
    return builder.build();
  }

  /**
   * The outage gate every client shares (so one per endpoint for the application's clients), from
   * {@code backoff4j.openai.gate.*}, on the retry policy's clock; none with
   * {@code backoff4j.openai.gate.enabled=false}.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = Backoff4jProperties.PREFIX + ".gate", name = "enabled", havingValue = "true",
      matchIfMissing = true)
  public OutageGate backoff4jOutageGate(Backoff4jProperties properties, RetryPolicy<Object> retryPolicy) {
    return properties.gateSettings().newGate(retryPolicy.timeSource());
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Backoff4jClientFactory backoff4jClientFactory(RetryPolicy<Object> retryPolicy, ObjectProvider<Pacer> pacer,
      ObjectProvider<OutageGate> outageGate, ObjectProvider<Backoff4jMetrics> metrics,
      ObjectProvider<Backoff4jOpenAiCustomizer> customizers) {
    Pacer shared = pacer.getIfUnique();
    OutageGate gate = outageGate.getIfUnique();
    Backoff4jMetrics meters = metrics.getIfAvailable();
    if (meters != null) {
      if (shared != null) {
        meters.bindPacer(shared);
      }
      if (gate != null) {
        meters.bindGate(gate);
      }
      retryPolicy.budget().filter(budget -> retryPolicy.budgetSettings().isEmpty()).ifPresent(meters::bindBudget);
    }
    return new Backoff4jClientFactory(retryPolicy, shared, gate, meters, customizers.orderedStream().toList());
  }

  /**
   * Without Spring AI: the SDK's clients on backoff4j's pipeline, connected by
   * {@code backoff4j.openai.base-url}, {@code api-key}, {@code organization}, {@code project} (each
   * unset one read from {@code $OPENAI_*}). Closed by the factory.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("org.springframework.ai.openai.OpenAiChatModel")
  static class PlainClients {

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public OpenAIClient openAIClient(Backoff4jClientFactory clients, Backoff4jProperties properties) {
      return clients.build("openai-client", properties.getAttemptTimeout(), connection(properties));
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public OpenAIClientAsync openAIClientAsync(Backoff4jClientFactory clients, Backoff4jProperties properties) {
      return clients.buildAsync("openai-client", properties.getAttemptTimeout(), connection(properties));
    }

    private static Consumer<Backoff4jOpenAI.Builder> connection(Backoff4jProperties properties) {
      return builder -> {
        builder.baseUrl(properties.getBaseUrl()).apiKey(properties.getApiKey())
            .organization(properties.getOrganization()).project(properties.getProject());
      };
    }
  }
}
