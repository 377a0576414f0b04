package dev.backoff4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.embeddings.EmbeddingRequest;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.testkit.VirtualTime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters of real calls through a client against the mock, on virtual time (waits are counted, not slept). */
class Backoff4jMetricsTest {

  private static final ChatRequest HI = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hi"));

  private final VirtualTime time = new VirtualTime();
  private final MockServer mock = MockServer.start(Scenario.builder().reply("pong").rateLimit(60, 10_000).build());

  @AfterEach
  void stop() {
    mock.close();
  }

  private OpenAiClient client(Backoff4jMetrics metrics) {
    return client(metrics, null);
  }

  private OpenAiClient client(Backoff4jMetrics metrics, Pacer pacer) {
    return OpenAiClient.builder().environment(name -> null).baseUrl(mock.baseUrl()).apiKey("sk-test")
        .retryPolicy(OpenAiRetryPolicy.builder(time).budget(null).jitter(Jitter.NONE).retryLogLevel(Level.OFF).build())
        .listenerFactory(metrics).pacer(pacer).build();
  }

  private static double count(MeterRegistry registry, String name, String... tags) {
    RequiredSearch search = registry.get(name).tags(tags);
    return name.equals(Backoff4jMetrics.ATTEMPTS) ? search.counter().count() : search.timer().count();
  }

  @Test
  void aCallRetriedThroughTwo429sCountsThreeAttemptsTwoWaitsAndOneSuccess() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    mock.scenario(Scenario.builder().reply("pong").script("429,hint-ms:250,200").build());
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();

    client(metrics).chat().create(HI);

    assertThat(count(registry, Backoff4jMetrics.ATTEMPTS, "operation", "chat.completions", "status", "429"))
        .isEqualTo(2);
    assertThat(count(registry, Backoff4jMetrics.ATTEMPTS, "status", "200")).isEqualTo(1);
    assertThat(count(registry, Backoff4jMetrics.WAITS, "source", "backoff")).isEqualTo(1);
    assertThat(count(registry, Backoff4jMetrics.WAITS, "source", "hint")).isEqualTo(1);
    assertThat(registry.get(Backoff4jMetrics.WAITS).tag("source", "hint").timer().totalTime(
        java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(750); // a repeated rate limit: hint + backoff
    assertThat(count(registry, Backoff4jMetrics.CALLS, "operation", "chat.completions", "outcome", "success",
        "reason", "none", "exception", "none")).isEqualTo(1);
    // The call's time is the policy's clock: the two waits, nothing slept.
    assertThat(registry.get(Backoff4jMetrics.CALLS).timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
        .isEqualTo(time.elapsed().toNanos()).isEqualTo(Duration.ofMillis(500 + 750).toNanos());
  }

  @Test
  void aQuotaErrorIsOneAttemptAndAFailureNotRetryable() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    mock.scenario(Scenario.builder().script("quota").build());
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();

    assertThatThrownBy(() -> client(metrics).chat().create(HI)).isInstanceOf(QuotaExceededException.class);

    assertThat(count(registry, Backoff4jMetrics.ATTEMPTS, "status", "429")).isEqualTo(1);
    assertThat(count(registry, Backoff4jMetrics.CALLS, "outcome", "failure", "reason", "not_retryable",
        "exception", "QuotaExceededException")).isEqualTo(1);
    assertThat(registry.find(Backoff4jMetrics.WAITS).timers()).isEmpty();
  }

  @Test
  void anOutageLongerThanTheAttemptsEndsAsRetriesExhausted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    mock.scenario(Scenario.builder().script("503,503,503,503,503").build());
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();

    assertThatThrownBy(() -> client(metrics).chat().create(HI));

    assertThat(count(registry, Backoff4jMetrics.ATTEMPTS, "status", "503")).isEqualTo(OpenAiRetryPolicy.MAX_ATTEMPTS);
    assertThat(count(registry, Backoff4jMetrics.WAITS, "source", "backoff")).isEqualTo(OpenAiRetryPolicy.MAX_ATTEMPTS - 1);
    assertThat(count(registry, Backoff4jMetrics.CALLS, "outcome", "failure", "reason", "retries_exhausted",
        "exception", "ServerErrorException")).isEqualTo(1);
  }

  @Test
  void anAsynchronousCallIsCountedTheSameWay() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    mock.scenario(Scenario.builder().reply("pong").script("503,200").build());
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();

    await(client(metrics).chat().createAsync(HI));

    assertThat(count(registry, Backoff4jMetrics.ATTEMPTS, "status", "503")).isEqualTo(1);
    assertThat(count(registry, Backoff4jMetrics.ATTEMPTS, "status", "200")).isEqualTo(1);
    assertThat(count(registry, Backoff4jMetrics.CALLS, "outcome", "success")).isEqualTo(1);
  }

  @Test
  void theOperationTagNamesTheEndpoint() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();

    client(metrics).embeddings().create(EmbeddingRequest.of("text-embedding-3-small", "hello"));

    assertThat(count(registry, Backoff4jMetrics.CALLS, "operation", "embeddings", "outcome", "success")).isEqualTo(1);
  }

  @Test
  void commonTagsAreOnEveryMeter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).tag("client", "chat").build();
    client(metrics).chat().create(HI);
    assertThat(registry.getMeters()).isNotEmpty()
        .allSatisfy(meter -> assertThat(meter.getId().getTag("client")).isEqualTo("chat"));
  }

  @Test
  void aPacersLearnedLimitsArePublishedPerScopeAndKind() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();
    Pacer pacer = Pacer.builder().timeSource(time).build();
    metrics.bindPacer(pacer);
    OpenAiClient client = client(metrics, pacer);

    client.chat().create(HI); // the scope appears; the mock's headers teach 60 requests per minute
    assertThat(registry.get(Backoff4jMetrics.PACER_LIMIT).tags("model", "gpt-4o-mini", "kind", "requests").gauge()
        .value()).isEqualTo(60);
    assertThat(registry.get(Backoff4jMetrics.PACER_LIMIT).tags("model", "gpt-4o-mini", "kind", "tokens").gauge()
        .value()).isEqualTo(10_000);
    assertThat(registry.get(Backoff4jMetrics.PACER_REMAINING).tags("model", "gpt-4o-mini", "kind", "requests")
        .gauge().value()).isEqualTo(59);
  }

  @Test
  void aPacerThatHoldsARequestBackTimesThatWait() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();
    // One request a minute, on the test's clock: the first response teaches the pacer that the
    // second must wait a minute, and the mock's bucket has refilled when it arrives.
    try (MockServer limited = MockServer.builder().nanoTime(time::nanoTime)
        .scenario(Scenario.builder().reply("pong").rateLimit(1, 100_000).window("1m").build()).start()) {
      Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO)
          .addListener(metrics.pacerListener()).build();
      OpenAiClient client = OpenAiClient.builder().environment(name -> null).baseUrl(limited.baseUrl())
          .apiKey("sk-test").retryPolicy(OpenAiRetryPolicy.builder(time).retryLogLevel(Level.OFF).build())
          .listenerFactory(metrics).pacer(pacer).build();

      client.chat().create(HI);
      client.chat().create(HI);

      assertThat(limited.stats().rateLimited()).isZero();
    }
    assertThat(count(registry, Backoff4jMetrics.WAITS, "source", "pacer")).isEqualTo(1);
    assertThat(registry.get(Backoff4jMetrics.WAITS).tag("source", "pacer").timer()
        .totalTime(java.util.concurrent.TimeUnit.SECONDS)).isCloseTo(60, org.assertj.core.data.Offset.offset(1.0));
  }

  @Test
  void eachOutageOfThePacersSharedStoreIsCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();
    metrics.pacerListener().onSharedStoreDown(new dev.backoff4j.openai.pacing.SharedStoreDown("TIMEOUT", 3));
    metrics.pacerListener().onSharedStoreBack(new dev.backoff4j.openai.pacing.SharedStoreBack(Duration.ofSeconds(2)));
    metrics.pacerListener().onSharedStoreDown(new dev.backoff4j.openai.pacing.SharedStoreDown("NOT_CONNECTED", 3));
    assertThat(registry.get(Backoff4jMetrics.PACER_SHARED_STORE_DOWN).counter().count()).isEqualTo(2);
  }

  @Test
  void aBudgetsTokensArePublished() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RetryBudget budget = RetryBudget.settings().ratio(0).minRetriesPerSecond(2).maxBalance(20).build()
        .newBudget(time);
    Backoff4jMetrics.builder(registry).build().bindBudget(budget);
    assertThat(registry.get(Backoff4jMetrics.BUDGET_TOKENS).gauge().value()).isEqualTo(2);
    budget.tryAcquireRetry();
    assertThat(registry.get(Backoff4jMetrics.BUDGET_TOKENS).gauge().value()).isEqualTo(1);
  }

  @Test
  void aPrometheusScrapeShowsEveryMeterUnderItsPrometheusName() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    mock.scenario(Scenario.builder().reply("pong").rateLimit(60, 10_000).script("429,503,200,quota").build());
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();
    Pacer pacer = Pacer.builder().timeSource(time).addListener(metrics.pacerListener()).build();
    metrics.bindPacer(pacer).bindBudget(RetryBudget.settings().ratio(0).minRetriesPerSecond(2).build().newBudget(time));
    OpenAiClient client = client(metrics, pacer);

    client.chat().create(HI);
    assertThatThrownBy(() -> client.chat().create(HI)).isInstanceOf(QuotaExceededException.class);

    String scrape = registry.scrape();
    assertThat(scrape.lines()).contains(
        "backoff4j_attempts_total{operation=\"chat.completions\",status=\"200\"} 1.0",
        "backoff4j_attempts_total{operation=\"chat.completions\",status=\"429\"} 2.0",
        "backoff4j_attempts_total{operation=\"chat.completions\",status=\"503\"} 1.0",
        "backoff4j_calls_seconds_count{exception=\"none\",operation=\"chat.completions\",outcome=\"success\",reason=\"none\"} 1",
        "backoff4j_calls_seconds_count{exception=\"QuotaExceededException\",operation=\"chat.completions\",outcome=\"failure\",reason=\"not_retryable\"} 1",
        "backoff4j_waits_seconds_count{source=\"backoff\"} 2",
        "backoff4j_pacer_limit{kind=\"requests\",model=\"gpt-4o-mini\"} 60.0",
        "backoff4j_pacer_limit{kind=\"tokens\",model=\"gpt-4o-mini\"} 10000.0",
        "backoff4j_budget_tokens 2.0");
    assertThat(scrape).contains("backoff4j_pacer_remaining{kind=\"requests\",model=\"gpt-4o-mini\"}");
  }

  private <T> T await(CompletableFuture<T> future) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!future.isDone()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("future did not complete");
      }
      time.advance(Duration.ofMillis(100));
      Thread.sleep(2);
    }
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
