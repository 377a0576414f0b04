package dev.backoff4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.langchain4j.internal.Backoff4jHttpClient;
import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerStats;
import dev.backoff4j.testkit.VirtualTime;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Backoff4jHttpClientBuilderTest {

  private static OpenAiPipeline pipeline(Backoff4jHttpClientBuilder builder) {
    return ((Backoff4jHttpClient) builder.build()).pipeline();
  }

  @Test
  void aNewBuilderUsesTheOpenAiPreset() {
    OpenAiPipeline pipeline = pipeline(new Backoff4jHttpClientBuilder());

    assertThat(pipeline.retryPolicy().classifier()).isSameAs(OpenAiClassifier.INSTANCE);
    assertThat(pipeline.retryPolicy().maxAttempts()).isEqualTo(OpenAiRetryPolicy.MAX_ATTEMPTS);
    assertThat(pipeline.retryPolicy().attemptTimeout()).contains(OpenAiRetryPolicy.ATTEMPT_TIMEOUT);
    assertThat(pipeline.retryPolicy().maxElapsed()).contains(OpenAiRetryPolicy.MAX_ELAPSED);
    assertThat(pipeline.pacer()).isEmpty();
  }

  @Test
  void everyClientOfABuilderWaitsAtOneOutageGate() {
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder();
    assertThat(pipeline(builder).outageGate()).isPresent();
    assertThat(pipeline(builder).outageGate().orElseThrow()).isSameAs(pipeline(builder).outageGate().orElseThrow());
    assertThat(pipeline(builder.outageGate(OutageGate.disabled())).outageGate()).isEmpty();
  }

  @Test
  void aGateGivenToTheBuilderIsTheOneEveryClientWaitsAtUntilSettingsReplaceIt() {
    OutageGate gate = OutageGate.settings().failuresToClose(3).build().newGate(new VirtualTime());
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder().sharedOutageGate(gate);
    assertThat(pipeline(builder).outageGate()).containsSame(gate);
    assertThat(pipeline(builder).outageGate()).containsSame(gate);
    assertThat(pipeline(builder.outageGate(OutageGate.defaults())).outageGate()).get().isNotSameAs(gate);
  }

  @Test
  void langChain4jsReadTimeoutLimitsEachAttempt() {
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder().readTimeout(Duration.ofSeconds(60));
    assertThat(pipeline(builder).retryPolicy().attemptTimeout()).contains(Duration.ofSeconds(60));
    assertThat(pipeline(builder).streamWatch().idleTimeout()).contains(Duration.ofSeconds(60));
  }

  @Test
  void aShorterAttemptTimeoutOfThePolicyStillApplies() {
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder()
        .retryPolicy(OpenAiRetryPolicy.builder(new VirtualTime()).attemptTimeout(Duration.ofSeconds(20)).build())
        .readTimeout(Duration.ofSeconds(60));
    assertThat(pipeline(builder).retryPolicy().attemptTimeout()).contains(Duration.ofSeconds(20));
  }

  @Test
  void aPolicyWithoutAttemptTimeoutTakesTheReadTimeout() {
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder()
        .retryPolicy(OpenAiRetryPolicy.builder(new VirtualTime()).attemptTimeout(null).build())
        .readTimeout(Duration.ofSeconds(60));
    assertThat(pipeline(builder).retryPolicy().attemptTimeout()).contains(Duration.ofSeconds(60));
  }

  @Test
  void theModelSetsItsTimeoutsOnTheBuilderOnEveryBuild() {
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder()
        .connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(2));

    OpenAiChatModel.builder().httpClientBuilder(builder).baseUrl("http://127.0.0.1:9/v1").modelName("m").build();
    assertThat(builder.connectTimeout()).isEqualTo(Duration.ofSeconds(15)); // LangChain4j's defaults
    assertThat(builder.readTimeout()).isEqualTo(Duration.ofSeconds(60));

    OpenAiChatModel.builder().httpClientBuilder(builder).baseUrl("http://127.0.0.1:9/v1").modelName("m")
        .timeout(Duration.ofSeconds(3)).build();
    assertThat(builder.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(builder.readTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void eachBuildHasItsOwnPipelineButSharesThePacer() {
    Pacer pacer = Pacer.builder().build();
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder().pacer(pacer);

    OpenAiPipeline first = pipeline(builder);
    OpenAiPipeline second = pipeline(builder);

    assertThat(first).isNotSameAs(second);
    assertThat(first.retryPolicy().budget()).isNotEqualTo(second.retryPolicy().budget());
    assertThat(first.pacer()).containsSame(pacer);
    assertThat(second.pacer()).containsSame(pacer);
  }

  @Test
  void buildingTwiceAddsNoStepTwice() {
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder();
    String once = pipeline(builder).toString();
    assertThat(pipeline(builder).toString()).isEqualTo(once);
  }

  @Test
  void timeoutsMustBePositiveAndTheMessageNamesTheSetter() {
    assertThatThrownBy(() -> new Backoff4jHttpClientBuilder().connectTimeout(Duration.ZERO))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("backoff4j langchain4j http client setting 'connectTimeout' must be positive, was 0ms");
    assertThatThrownBy(() -> new Backoff4jHttpClientBuilder().readTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("backoff4j langchain4j http client setting 'readTimeout' must be positive, was -1.00s");
  }

  @Test
  void nullTimeoutsRestoreTheDefaults() {
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder()
        .connectTimeout(Duration.ofSeconds(1)).connectTimeout(null)
        .readTimeout(Duration.ofSeconds(1)).readTimeout(null);
    assertThat(builder.connectTimeout()).isNull();
    assertThat(pipeline(builder).retryPolicy().attemptTimeout()).contains(OpenAiRetryPolicy.ATTEMPT_TIMEOUT);
  }

  @Test
  void aPacerNotMadeByItsBuilderIsRefusedAtBuild() {
    Pacer fake = new Pacer() {
      @Override
      public PacerStats stats() {
        throw new UnsupportedOperationException();
      }
    };
    Backoff4jHttpClientBuilder builder = new Backoff4jHttpClientBuilder().pacer(fake);
    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pacer");
  }

  @Test
  void requestsAreNotSignedByThePipeline() {
    // LangChain4j signs them; the pipeline has no key even when $OPENAI_API_KEY is set
    assertThat(pipeline(new Backoff4jHttpClientBuilder()).endpoint().apiKey()).isNull();
    assertThat(Optional.of(new Backoff4jHttpClientBuilder().toString())).hasValueSatisfying(text ->
        assertThat(text).startsWith("Backoff4jHttpClientBuilder[retryPolicy=preset"));
  }
}
