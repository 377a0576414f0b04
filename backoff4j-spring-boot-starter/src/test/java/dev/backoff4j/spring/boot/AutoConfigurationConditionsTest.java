package dev.backoff4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.micrometer.Backoff4jMetrics;
import dev.backoff4j.mock.FaultScript;
import dev.backoff4j.mock.HeaderMatch;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.gate.GateState;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.spring.boot.autoconfigure.Backoff4jAutoConfiguration;
import dev.backoff4j.spring.boot.autoconfigure.Backoff4jEndpointAutoConfiguration;
import dev.backoff4j.spring.boot.autoconfigure.Backoff4jMetricsAutoConfiguration;
import dev.backoff4j.spring.boot.autoconfigure.Backoff4jSpringAiAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.backoff4j.testkit.VirtualTime;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration;
import org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each condition of the auto-configuration, in contexts made of just the auto-configurations involved. */
@ExtendWith(OutputCaptureExtension.class)
class AutoConfigurationConditionsTest {

  private static final MockServer MOCK = MockServer.start(Scenario.builder().reply("pong").build());

  private static final AutoConfigurations SPRING_AI = AutoConfigurations.of(OpenAiChatAutoConfiguration.class,
      OpenAiEmbeddingAutoConfiguration.class, ToolCallingAutoConfiguration.class, ChatClientAutoConfiguration.class);
  private static final AutoConfigurations BACKOFF4J = AutoConfigurations.of(Backoff4jAutoConfiguration.class,
      Backoff4jSpringAiAutoConfiguration.class, Backoff4jMetricsAutoConfiguration.class,
      Backoff4jEndpointAutoConfiguration.class);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(BACKOFF4J).withConfiguration(SPRING_AI)
      .withBean(TimeSource.class, VirtualTime::new) // waits are counted, not slept
      .withPropertyValues("spring.ai.openai.base-url=" + MOCK.baseUrl(), "spring.ai.openai.api-key=sk-test");

  /** Without Spring AI on the class path (as an application that uses the SDK directly). */
  private final ApplicationContextRunner withoutSpringAi = new ApplicationContextRunner()
      .withConfiguration(BACKOFF4J).withClassLoader(new FilteredClassLoader("org.springframework.ai"))
      .withBean(TimeSource.class, VirtualTime::new)
      .withPropertyValues("backoff4j.openai.base-url=" + MOCK.baseUrl(), "backoff4j.openai.api-key=sk-test");

  @BeforeEach
  void reset() {
    MOCK.reset();
  }

  @AfterAll
  static void stop() {
    MOCK.close();
  }

  private static String chat(ChatClient.Builder chatClient) {
    return chatClient.build().prompt().user("ping").call().content();
  }

  private static ChatCompletionCreateParams hello() {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("ping").build();
  }

  @Test
  void withSpringAiTheChatAndEmbeddingModelsAreTheStartersAndSpringAisBackOff() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(OpenAiChatModel.class).hasSingleBean(OpenAiEmbeddingModel.class)
          .doesNotHaveBean(OpenAIClient.class);
      assertThat(context.getBeanFactory().getBeanDefinition("openAiChatModel").getFactoryBeanName())
          .isEqualTo(Backoff4jSpringAiAutoConfiguration.class.getName());
      assertThat(context.getBeanFactory().getBeanDefinition("openAiEmbeddingModel").getFactoryBeanName())
          .isEqualTo(Backoff4jSpringAiAutoConfiguration.class.getName());

      // The SDK would send a quota error 4 times (its 3 retries); backoff4j sends it once.
      MOCK.scenario(Scenario.builder().script("quota").build());
      assertThatThrownBy(() -> chat(context.getBean(ChatClient.Builder.class))).isInstanceOf(RateLimitException.class);
      assertThat(MOCK.stats().requests()).hasSize(1);
    });
  }

  @Test
  void springAiAloneBuildsItsOwnModelsWhenTheStarterIsSwitchedOff() {
    runner.withPropertyValues("backoff4j.openai.enabled=false").run(context -> {
      assertThat(context.getBeanFactory().getBeanDefinition("openAiChatModel").getFactoryBeanName())
          .isEqualTo(OpenAiChatAutoConfiguration.class.getName());
      assertThat(context).doesNotHaveBean(Backoff4jClientFactory.class).doesNotHaveBean(RetryPolicy.class);
    });
  }

  @Test
  void anotherChatProviderSelectedMeansNoOpenAiChatModelFromEither() {
    runner.withPropertyValues("spring.ai.model.chat=ollama", "spring.ai.model.embedding=ollama")
        .run(context -> assertThat(context).doesNotHaveBean(OpenAiChatModel.class)
            .doesNotHaveBean(OpenAiEmbeddingModel.class).hasSingleBean(Backoff4jClientFactory.class));
  }

  @Test
  void withoutSpringAiThereAreBridgedSdkClientBeans() {
    withoutSpringAi.run(context -> {
      assertThat(context).hasSingleBean(OpenAIClient.class).hasSingleBean(OpenAIClientAsync.class)
          .hasSingleBean(Backoff4jClientFactory.class);
      MOCK.scenario(Scenario.builder().script("quota").build());
      assertThatThrownBy(() -> context.getBean(OpenAIClient.class).chat().completions().create(hello()))
          .isInstanceOf(RateLimitException.class)
          .satisfies(e -> assertThat(((RateLimitException) e).headers().values(Backoff4jOpenAI.ATTEMPTS_HEADER))
              .containsExactly("1"));
      assertThat(MOCK.stats().requests()).hasSize(1);
    });
  }

  @Test
  void theApplicationsOwnBeansWin() {
    withoutSpringAi.withUserConfiguration(OwnBeans.class).run(context -> {
      assertThat(context.getBean(OpenAIClient.class)).isSameAs(OwnBeans.CLIENT);
      assertThat(context.getBean(RetryPolicy.class)).isSameAs(OwnBeans.POLICY);
      Backoff4jClientFactory factory = context.getBean(Backoff4jClientFactory.class);
      assertThat(factory.retryPolicy()).isSameAs(OwnBeans.POLICY);
      assertThat(factory.pacer()).containsSame(OwnBeans.PACER);
      assertThat(context).hasSingleBean(Pacer.class);
    });
  }

  @Test
  void theApplicationsOwnChatModelWins() {
    runner.withUserConfiguration(OwnChatModel.class).run(context -> {
      assertThat(context).hasSingleBean(OpenAiChatModel.class);
      assertThat(context.getBean(OpenAiChatModel.class)).isSameAs(context.getBean("myChatModel"));
      assertThat(context.getBeanFactory().getBeanDefinition("openAiEmbeddingModel").getFactoryBeanName())
          .isEqualTo(Backoff4jSpringAiAutoConfiguration.class.getName());
    });
  }

  @Test
  void theApplicationsOwnClientFactoryMetricsAndEndpointWin() {
    runner.withUserConfiguration(OwnParts.class, Registry.class)
        .withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=backoff4j",
            "management.endpoints.jmx.exposure.include=backoff4j")
        .run(context -> {
          assertThat(context.getBean(Backoff4jMetrics.class)).isSameAs(context.getBean("myMetrics"));
          assertThat(context.getBean(Backoff4jEndpoint.class)).isSameAs(context.getBean("myEndpoint"));
          assertThat(context.getBean(Backoff4jClientFactory.class)).isSameAs(context.getBean("myFactory"));
          assertThat(context.getBean(Backoff4jEndpoint.class).state()).containsKey("retry");
        });
  }

  @Test
  void pacingIsOffUnlessAskedForAndASeedAsksForIt() {
    runner.run(context -> assertThat(context).doesNotHaveBean(Pacer.class));
    runner.withPropertyValues("backoff4j.openai.pacing.rpm=500").run(context -> {
      assertThat(context).hasSingleBean(Pacer.class);
      assertThat(context.getBean(Backoff4jClientFactory.class).pacer()).containsSame(context.getBean(Pacer.class));
    });
    runner.withPropertyValues("backoff4j.openai.pacing.enabled=true").run(context -> assertThat(context).hasSingleBean(Pacer.class));
    runner.withPropertyValues("backoff4j.openai.pacing.enabled=false", "backoff4j.openai.pacing.rpm=500")
        .run(context -> assertThat(context).doesNotHaveBean(Pacer.class));
  }

  @Test
  void theRetryPolicyIsThePresetWithTheProperties() {
    runner.withPropertyValues("backoff4j.openai.max-retries=2", "backoff4j.openai.initial-delay=50ms",
        "backoff4j.openai.max-delay=1s", "backoff4j.openai.deadline=30s", "backoff4j.openai.attempt-timeout=20s",
        "backoff4j.openai.max-server-delay=5s").run(context -> {
          RetryPolicy<?> policy = context.getBean(RetryPolicy.class);
          assertThat(policy.maxAttempts()).isEqualTo(3);
          assertThat(policy.initialDelay()).isEqualTo(Duration.ofMillis(50));
          assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(1));
          assertThat(policy.maxElapsed()).contains(Duration.ofSeconds(30));
          assertThat(policy.attemptTimeout()).contains(Duration.ofSeconds(20));
          assertThat(policy.maxServerDelay()).isEqualTo(Duration.ofSeconds(5));
          assertThat(policy.budget()).isPresent();
          assertThat(policy.budgetSettings()).as("one budget, shared by every client").isEmpty();
        });
    runner.withPropertyValues("backoff4j.openai.budget.enabled=false")
        .run(context -> assertThat(context.getBean(RetryPolicy.class).budget()).isEmpty());
  }

  @Test
  void theBudgetsModeAndTheBoundOnRateLimitRetriesAreProperties() {
    runner.run(context -> {
      RetryPolicy<?> policy = context.getBean(RetryPolicy.class);
      assertThat(policy.onBudgetExhausted()).as("the preset waits").isEqualTo(WhenExhausted.WAIT);
      assertThat(policy.maxRateLimitRetries()).as("bounded by the deadline").isEmpty();
    });
    runner.withPropertyValues("backoff4j.openai.budget.when-exhausted=fail",
        "backoff4j.openai.max-rate-limit-retries=3").run(context -> {
          RetryPolicy<?> policy = context.getBean(RetryPolicy.class);
          assertThat(policy.onBudgetExhausted()).isEqualTo(WhenExhausted.FAIL);
          assertThat(policy.maxRateLimitRetries()).contains(3);
        });
    // Failing fast needs no floor: a budget of 0 per second is then allowed.
    runner.withPropertyValues("backoff4j.openai.budget.when-exhausted=FAIL",
        "backoff4j.openai.budget.min-retries-per-second=0").run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void oneOutageGateIsSharedByEveryClientSoAnOutageSeenByOneHoldsBackTheOthers() {
    // A circuit breaker that closes at the first failure and probes only after a minute: whoever
    // meets it closed fails at once, unsent.
    runner.withPropertyValues("backoff4j.openai.gate.failures-to-close=1", "backoff4j.openai.gate.when-closed=fail",
        "backoff4j.openai.gate.probe-initial-delay=1m", "backoff4j.openai.gate.probe-max-delay=1m").run(context -> {
          assertThat(context).hasSingleBean(OutageGate.class);
          OutageGate gate = context.getBean(OutageGate.class);
          assertThat(context.getBean(Backoff4jClientFactory.class).outageGate()).containsSame(gate);
          MOCK.scenario(Scenario.builder().reply("pong").script("500,500,500").build());

          assertThatThrownBy(() -> context.getBean(OpenAiEmbeddingModel.class).embed("hi"));
          assertThat(MOCK.stats().requests()).as("the 500 closed the gate; the retry was refused").hasSize(1);
          assertThat(gate.stats().state()).isEqualTo(GateState.CLOSED);

          assertThatThrownBy(() -> chat(context.getBean(ChatClient.Builder.class)));
          assertThat(MOCK.stats().requests()).as("the chat client meets the embedding client's gate").hasSize(1);

          @SuppressWarnings("unchecked")
          Map<String, Object> shown = (Map<String, Object>) new Backoff4jEndpoint(
              context.getBean(Backoff4jClientFactory.class)).state().get("gate");
          assertThat(shown).containsEntry("enabled", true).containsEntry("state", "closed")
              .containsEntry("since", Instant.parse("2026-01-01T00:00:00Z").toString())
              .containsEntry("consecutiveFailures", 1).containsEntry("closings", 1L)
              .containsEntry("waiting", 0);
          assertThat((String) shown.get("lastFailure")).startsWith("500");
        });
  }

  @Test
  void theGatesPropertiesShapeIt() {
    // Closes after 2 failures in a row (default 10); the retry waits for the probe, which succeeds.
    withoutSpringAi.withPropertyValues("backoff4j.openai.gate.failures-to-close=2").run(context -> {
      MOCK.scenario(Scenario.builder().reply("pong").script("500,500,200").build());
      context.getBean(OpenAIClient.class).chat().completions().create(hello());
      OutageGate gate = context.getBean(OutageGate.class);
      assertThat(gate.stats().closings()).isEqualTo(1);
      assertThat(gate.stats().succeededProbes()).isEqualTo(1);
      assertThat(gate.stats().state()).isEqualTo(GateState.OPEN);
    });
  }

  @Test
  void withTheGateSwitchedOffNoRequestIsHeldBack() {
    withoutSpringAi.withPropertyValues("backoff4j.openai.gate.enabled=false", "backoff4j.openai.gate.failures-to-close=1",
        "backoff4j.openai.gate.when-closed=fail").run(context -> {
          assertThat(context).doesNotHaveBean(OutageGate.class);
          assertThat(context.getBean(Backoff4jClientFactory.class).outageGate()).isEmpty();
          MOCK.scenario(Scenario.builder().reply("pong").script("500,200").build());
          // With the gate on, this fail-fast gate would refuse the retry.
          context.getBean(OpenAIClient.class).chat().completions().create(hello());
          assertThat(MOCK.stats().requests()).hasSize(2);
          assertThat(new Backoff4jEndpoint(context.getBean(Backoff4jClientFactory.class)).state().get("gate"))
              .isEqualTo(Map.of("enabled", false));
        });
  }

  @Test
  void theApplicationsOwnOutageGateWins() {
    OutageGate own = OutageGate.settings().failuresToClose(3).build().newGate(dev.backoff4j.time.TimeSource.system());
    withoutSpringAi.withBean("myGate", OutageGate.class, () -> own).run(context -> {
      assertThat(context).hasSingleBean(OutageGate.class);
      assertThat(context.getBean(Backoff4jClientFactory.class).outageGate()).containsSame(own);
    });
  }

  @Test
  void theDefaultsAreTheOpenAiPresets() {
    Backoff4jProperties defaults = new Backoff4jProperties();
    RetryPolicy<Object> preset = OpenAiRetryPolicy.defaults();
    RetryPolicy<Object> policy = defaults.retryPolicy(dev.backoff4j.time.TimeSource.system());
    assertThat(policy.maxAttempts()).isEqualTo(preset.maxAttempts());
    assertThat(policy.initialDelay()).isEqualTo(preset.initialDelay());
    assertThat(policy.maxDelay()).isEqualTo(preset.maxDelay());
    assertThat(policy.maxServerDelay()).isEqualTo(preset.maxServerDelay());
    assertThat(policy.maxElapsed()).isEqualTo(preset.maxElapsed());
    assertThat(policy.attemptTimeout()).isEqualTo(preset.attemptTimeout());
    assertThat(defaults.budgetSettings()).isEqualTo(OpenAiRetryPolicy.BUDGET);
    assertThat(policy.onBudgetExhausted()).isEqualTo(preset.onBudgetExhausted());
    assertThat(policy.maxRateLimitRetries()).isEqualTo(preset.maxRateLimitRetries());
    assertThat(defaults.gateSettings()).isEqualTo(OutageGate.defaults());
  }

  @Test
  void springAisTimeoutIsTheAttemptLimitUnlessBackoff4jsIsSetAndEitherBecomesThePerCallTimeout() {
    runner.withPropertyValues("spring.ai.openai.timeout=5s").run(context -> assertThat(
        ((OpenAiChatOptions) context.getBean(OpenAiChatModel.class).getDefaultOptions()).getTimeout())
        .isEqualTo(Duration.ofSeconds(5)));
    // Above Spring AI's 60 s default: the per-call timeout follows, so it does not cap the attempt.
    runner.withPropertyValues("backoff4j.openai.attempt-timeout=2m").run(context -> assertThat(
        ((OpenAiChatOptions) context.getBean(OpenAiChatModel.class).getDefaultOptions()).getTimeout())
        .isEqualTo(Duration.ofMinutes(2)));
  }

  @Test
  void springAisMaxRetriesIsNotUsedAndAWarningSaysSo(CapturedOutput output) {
    runner.withPropertyValues("spring.ai.openai.max-retries=7").run(context -> {
      MOCK.scenario(Scenario.builder().reply("pong").script("500,500,200").build());
      assertThat(chat(context.getBean(ChatClient.Builder.class))).isEqualTo("pong");
      assertThat(MOCK.stats().requests()).extracting(RequestRecord::status).containsExactly(500, 500, 200);
    });
    assertThat(output).contains("spring.ai.openai.max-retries=7 is not used for the chat model");
  }

  @Test
  void springAisOkHttpCustomizersAreReportedAsNotApplied(CapturedOutput output) {
    runner.withBean(org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer.class,
        () -> builder -> {}).run(context -> assertThat(context).hasSingleBean(OpenAiChatModel.class));
    assertThat(output).contains("1 OpenAiHttpClientBuilderCustomizer bean(s) not applied");
  }

  @Test
  void springAisCustomHeadersAreSent() {
    runner.withPropertyValues("spring.ai.openai.custom-headers.x-team=search").run(context -> {
      MOCK.scenario(Scenario.builder().script(FaultScript.parse("quota").onlyWhen(new HeaderMatch("x-team", "search")))
          .build());
      assertThatThrownBy(() -> chat(context.getBean(ChatClient.Builder.class))).isInstanceOf(RateLimitException.class);
    });
  }

  @Test
  void customizersChangeEveryBridgedClientInTheirOrder() {
    runner.withUserConfiguration(Customizers.class).run(context -> {
      // Only a request carrying the later customizer's header value gets the quota error.
      Scenario quotaForSecond = Scenario.builder().reply("pong").script(FaultScript.parse("quota")
          .onlyWhen(new HeaderMatch("x-team", "second"))).build();
      MOCK.scenario(quotaForSecond);
      assertThatThrownBy(() -> chat(context.getBean(ChatClient.Builder.class))).isInstanceOf(RateLimitException.class);
      MOCK.scenario(quotaForSecond);
      assertThatThrownBy(() -> context.getBean(OpenAiEmbeddingModel.class).embed("hi"))
          .isInstanceOf(RateLimitException.class);
    });
  }

  @Test
  void thePropertiesNeverShowTheKey() {
    Backoff4jProperties properties = new Backoff4jProperties();
    properties.setApiKey("sk-secret-123");
    assertThat(properties.toString()).doesNotContain("sk-secret-123").contains("apiKey=set");
  }

  @Test
  void anEmptyApiKeyMeansNoAuthorizationHeaderAsInSpringAi() {
    runner.withPropertyValues("spring.ai.openai.api-key=").run(context -> {
      // Any request still carrying Spring AI's placeholder credential would get a quota error.
      MOCK.scenario(Scenario.builder().reply("pong").script(FaultScript.parse("quota")
          .onlyWhen(new HeaderMatch("authorization", "Bearer no-auth-placeholder"))).build());
      assertThat(chat(context.getBean(ChatClient.Builder.class))).isEqualTo("pong");
    });
  }

  @Test
  void microsoftFoundryIsRefusedWithAClearMessage() {
    runner.withPropertyValues("spring.ai.openai.microsoft-foundry=true").run(context -> assertThat(context)
        .getFailure().rootCause().hasMessageContaining("Microsoft Foundry")
        .hasMessageContaining("backoff4j.openai.enabled=false"));
  }

  @Test
  void withAMeterRegistryTheCallsAreMetered() {
    withoutSpringAi.withUserConfiguration(Registry.class).run(context -> {
      assertThat(context).hasSingleBean(Backoff4jMetrics.class);
      MOCK.scenario(Scenario.builder().reply("pong").script("500,200").build());
      context.getBean(OpenAIClient.class).chat().completions().create(hello());
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get(Backoff4jMetrics.ATTEMPTS).tag("status", "500").counter().count()).isEqualTo(1);
      assertThat(registry.get(Backoff4jMetrics.CALLS).tag("outcome", "success").timer().count()).isEqualTo(1);
      assertThat(registry.get(Backoff4jMetrics.BUDGET_TOKENS).gauge().value()).isPositive();
      assertThat(registry.get(Backoff4jMetrics.GATE_STATE).gauge().value()).as("open").isZero();
      assertThat(registry.get(Backoff4jMetrics.GATE_WAITING).gauge().value()).isZero();
      assertThat(registry.get(Backoff4jMetrics.GATE_CLOSINGS).functionCounter().count()).isZero();
    });
  }

  @Test
  void theSharedGatesMetersFollowItAsItClosesAndOpens() {
    withoutSpringAi.withUserConfiguration(Registry.class).withPropertyValues("backoff4j.openai.gate.failures-to-close=2")
        .run(context -> {
          MOCK.scenario(Scenario.builder().reply("pong").script("500,500,500,200").build());
          context.getBean(OpenAIClient.class).chat().completions().create(hello());
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get(Backoff4jMetrics.GATE_CLOSINGS).functionCounter().count()).isEqualTo(1);
          assertThat(registry.get(Backoff4jMetrics.GATE_PROBES).tag("outcome", "failure").functionCounter().count())
              .isEqualTo(1);
          assertThat(registry.get(Backoff4jMetrics.GATE_PROBES).tag("outcome", "success").functionCounter().count())
              .isEqualTo(1);
          assertThat(registry.get(Backoff4jMetrics.WAITS).tag("source", "gate").timer().count()).isEqualTo(1);
          assertThat(registry.get(Backoff4jMetrics.GATE_STATE).gauge().value()).isZero();
        });
  }

  @Test
  void withoutAMeterRegistryThereAreNoMetrics() {
    runner.run(context -> assertThat(context).doesNotHaveBean(Backoff4jMetrics.class));
  }

  @Test
  void theEndpointIsThereWhenTheActuatorExposesIt() {
    ApplicationContextRunner actuator = runner.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class));
    actuator.withPropertyValues("management.endpoints.web.exposure.include=backoff4j")
        .run(context -> assertThat(context).hasSingleBean(Backoff4jEndpoint.class));
    actuator.run(context -> assertThat(context).doesNotHaveBean(Backoff4jEndpoint.class));
    runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .withPropertyValues("management.endpoints.web.exposure.include=backoff4j")
        .run(context -> assertThat(context).doesNotHaveBean(Backoff4jEndpoint.class)
            .hasSingleBean(OpenAiChatModel.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final RetryPolicy<Object> POLICY = OpenAiRetryPolicy.builder(dev.backoff4j.time.TimeSource.system())
        .maxRetries(1).build();
    static final Pacer PACER = Pacer.builder().build();
    static final OpenAIClient CLIENT = Backoff4jOpenAI.builder().environment(name -> null).apiKey("sk-own").build();

    @Bean
    RetryPolicy<Object> myPolicy() {
      return POLICY;
    }

    @Bean
    Pacer myPacer() {
      return PACER;
    }

    @Bean
    OpenAIClient myClient() {
      return CLIENT;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Customizers {
    @Bean
    @org.springframework.core.annotation.Order(2)
    Backoff4jOpenAiCustomizer second() {
      return builder -> builder.addInterceptor(dev.backoff4j.openai.http.Interceptors.mapRequest(
          request -> request.withHeader("x-team", "second")));
    }

    @Bean
    @org.springframework.core.annotation.Order(1)
    Backoff4jOpenAiCustomizer first() {
      return builder -> builder.addInterceptor(dev.backoff4j.openai.http.Interceptors.mapRequest(
          request -> request.withHeader("x-team", "first")));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnChatModel {
    @Bean
    OpenAiChatModel myChatModel() {
      return OpenAiChatModel.builder().openAiClient(OwnBeans.CLIENT)
          .openAiClientAsync(Backoff4jOpenAI.builder().environment(name -> null).apiKey("sk-own").buildAsync()).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnParts {
    @Bean
    Backoff4jMetrics myMetrics(MeterRegistry registry) {
      return Backoff4jMetrics.builder(registry).tag("mine", "yes").build();
    }

    @Bean
    Backoff4jClientFactory myFactory() {
      return new Backoff4jClientFactory(OpenAiRetryPolicy.defaults(), null, null, null, List.of());
    }

    @Bean
    Backoff4jEndpoint myEndpoint(Backoff4jClientFactory clients) {
      return new Backoff4jEndpoint(clients);
    }
  }
}
