package dev.backoff4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.gate.GateWait;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.gate.OutageGateClosedException;
import dev.backoff4j.openai.gate.OutageGateTimeoutException;
import dev.backoff4j.openai.gate.WhenClosed;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.testkit.VirtualTime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outage gate's meters and the waits at it, from real calls to the mock on 127.0.0.1 whose
 * script fails the first attempts with 503s; the client's retries, its gate and its probes run on
 * virtual time (waits are counted, not slept). Backoff is unjittered: 500 ms, 1 s, 2 s, ...
 */
class GateMetricsTest {

  private static final ChatRequest HI = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hi"));

  private final VirtualTime time = new VirtualTime();
  private final MockServer mock = MockServer.start(Scenario.builder().reply("pong").build());

  @AfterEach
  void stop() {
    mock.close();
  }

  private RetryPolicyBuilder<Object> policy() {
    return OpenAiRetryPolicy.builder(time).budget(null).jitter(Jitter.NONE).retryLogLevel(Level.OFF);
  }

  /**
   * Closes after 3 failures in a row; the first probe 2.5 to 5 s after closing (jittered), so the
   * retry after the third failure (2 s later) finds the gate closed and waits.
   */
  private static OutageGate.Settings.Builder gate() {
    return OutageGate.settings().failuresToClose(3).probeInitialDelay(Duration.ofSeconds(5))
        .probeMaxDelay(Duration.ofSeconds(5));
  }

  private OpenAiClient client(Backoff4jMetrics metrics, RetryPolicyBuilder<Object> policy,
      OutageGate.Settings gate, CallListener... more) {
    var builder = OpenAiClient.builder().environment(name -> null).baseUrl(mock.baseUrl()).apiKey("sk-test")
        .retryPolicy(policy.build()).outageGate(gate).listenerFactory(metrics);
    for (CallListener listener : more) {
      builder.listener(listener);
    }
    OpenAiClient client = builder.build();
    metrics.bindPipeline(client.pipeline());
    return client;
  }

  private static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }

  private static double probes(MeterRegistry registry, String outcome) {
    return registry.get(Backoff4jMetrics.GATE_PROBES).tag("outcome", outcome).functionCounter().count();
  }

  private static double waitMillis(MeterRegistry registry, String source) {
    return registry.get(Backoff4jMetrics.WAITS).tag("source", source).timer().totalTime(TimeUnit.MILLISECONDS);
  }

  private static long waits(MeterRegistry registry, String source) {
    return registry.get(Backoff4jMetrics.WAITS).tag("source", source).timer().count();
  }

  private static String script(String... tokens) {
    return String.join(",", tokens);
  }

  @Test
  void aGateThatClosesProbesAndOpensIsMeteredAndTheWaitAtItIsTimed() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    mock.scenario(Scenario.builder().reply("pong").script(script("503", "503", "503", "503", "503", "200")).build());
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();
    // What the gauges say while this call waits at the closed gate.
    List<Double> whileWaiting = new ArrayList<>();
    CallListener readGauges = new CallListener() {
      @Override
      public void onGateWait(GateWait event) {
        whileWaiting.add(gauge(registry, Backoff4jMetrics.GATE_STATE));
        whileWaiting.add(gauge(registry, Backoff4jMetrics.GATE_WAITING));
        whileWaiting.add(registry.get(Backoff4jMetrics.GATE_CLOSINGS).functionCounter().count());
      }
    };
    OpenAiClient client = client(metrics, policy(), gate().build(), readGauges);
    assertThat(gauge(registry, Backoff4jMetrics.GATE_STATE)).as("open").isZero();

    assertThat(client.chat().create(HI).text()).isEqualTo("pong");

    assertThat(mock.stats().totalRequests()).isEqualTo(6);
    assertThat(whileWaiting).as("closed, this call waiting, one closing").containsExactly(2.0, 1.0, 1.0);
    assertThat(gauge(registry, Backoff4jMetrics.GATE_STATE)).as("open again").isZero();
    assertThat(gauge(registry, Backoff4jMetrics.GATE_WAITING)).isZero();
    assertThat(registry.get(Backoff4jMetrics.GATE_CLOSINGS).functionCounter().count()).isEqualTo(1);
    // Attempt 4 waits at the gate and is the probe: it fails twice (back in line each time), then 200.
    assertThat(probes(registry, "failure")).isEqualTo(2);
    assertThat(probes(registry, "success")).isEqualTo(1);
    // The policy's attempts: the failed probes went back to waiting inside attempt 4, so they are the
    // gate's (probes, failure), not attempts; together they are every 503 the server sent.
    assertThat(registry.get(Backoff4jMetrics.ATTEMPTS).tag("status", "503").counter().count()).isEqualTo(3);
    assertThat(registry.get(Backoff4jMetrics.ATTEMPTS).tag("status", "200").counter().count()).isEqualTo(1);
    assertThat(waits(registry, "backoff")).as("after attempts 1, 2, 3").isEqualTo(3);
    assertThat(waitMillis(registry, "backoff")).isEqualTo(500 + 1_000 + 2_000);
    // One wait at the gate, however often the probe went back: the rest of the call's time.
    assertThat(waits(registry, "gate")).isEqualTo(1);
    assertThat(registry.get(Backoff4jMetrics.WAITS).tag("source", "gate").timer().totalTime(TimeUnit.NANOSECONDS))
        .isEqualTo(time.elapsed().minusMillis(3_500).toNanos());
    assertThat(waitMillis(registry, "gate")).isGreaterThanOrEqualTo(500); // the first probe: 2.5 s or more after closing
    assertThat(registry.get(Backoff4jMetrics.CALLS).tag("outcome", "success").timer().count()).isEqualTo(1);
  }

  @Test
  void aDeadlinePassingAtTheGateIsAGateWaitUpToTheDeadline() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    mock.scenario(Scenario.builder().reply("pong").script(String.join(",", Collections.nCopies(40, "503"))).build());
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();
    OpenAiClient client = client(metrics, policy().maxElapsed(Duration.ofSeconds(20)), gate().build());

    assertThatThrownBy(() -> client.chat().create(HI)).isInstanceOf(OutageGateTimeoutException.class);

    assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(20));
    // Attempt 4 reaches the gate at 3.5 s and waits there (probing) until the deadline.
    assertThat(waits(registry, "gate")).isEqualTo(1);
    assertThat(waitMillis(registry, "gate")).isEqualTo(20_000 - 3_500);
    assertThat(probes(registry, "failure")).isPositive();
    assertThat(probes(registry, "success")).isZero();
    assertThat(gauge(registry, Backoff4jMetrics.GATE_STATE)).as("still closed").isEqualTo(2);
    assertThat(gauge(registry, Backoff4jMetrics.GATE_WAITING)).isZero();
    assertThat(registry.get(Backoff4jMetrics.CALLS).tags("outcome", "failure", "reason", "deadline_exceeded",
        "exception", "OutageGateTimeoutException").timer().count()).isEqualTo(1);
  }

  @Test
  void anAttemptRefusedByAFailFastGateIsCountedAsGateClosed() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    mock.scenario(Scenario.builder().reply("pong").script(script("503", "503", "503")).build());
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();
    OpenAiClient client = client(metrics, policy(), gate().whenClosed(WhenClosed.FAIL).build());

    assertThatThrownBy(() -> client.chat().create(HI)).isInstanceOf(OutageGateClosedException.class);

    assertThat(mock.stats().totalRequests()).isEqualTo(3);
    assertThat(registry.get(Backoff4jMetrics.ATTEMPTS).tag("status", "gate_closed").counter().count()).isEqualTo(1);
    assertThat(registry.find(Backoff4jMetrics.WAITS).tag("source", "gate").timers()).as("refused, not held")
        .isEmpty();
    assertThat(registry.get(Backoff4jMetrics.CALLS).tags("outcome", "failure", "exception",
        "OutageGateClosedException").timer().count()).isEqualTo(1);
  }

  @Test
  void aRetryInLineForTheBudgetIsABudgetWait() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    mock.scenario(Scenario.builder().reply("pong").script(script("503", "503", "200")).build());
    Backoff4jMetrics metrics = Backoff4jMetrics.builder(registry).build();
    // A floor of one retry every 10 s and nothing saved up: the retries wait for it, longer than their backoff.
    RetryBudget.Settings budget = RetryBudget.settings().ratio(0).successRatio(0).minRetriesPerSecond(0.1)
        .maxBalance(1).build();
    OpenAiClient client = client(metrics, policy().budget(budget).onBudgetExhausted(WhenExhausted.WAIT),
        OutageGate.disabled());

    assertThat(client.chat().create(HI).text()).isEqualTo("pong");

    assertThat(waits(registry, "budget")).as("the retries that waited for the budget").isPositive();
    assertThat(waits(registry, "budget") + registry.find(Backoff4jMetrics.WAITS).tag("source", "backoff").timers()
        .stream().mapToLong(timer -> timer.count()).sum()).as("every retry's wait, once").isEqualTo(2);
    assertThat(registry.find(Backoff4jMetrics.WAITS).tag("source", "hint").timers()).isEmpty();
    assertThat(registry.get(Backoff4jMetrics.BUDGET_TOKENS).gauge().value()).as("bound from the pipeline")
        .isNotNaN();
  }

  @Test
  void aPrometheusScrapeShowsTheGateMeters() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    mock.scenario(Scenario.builder().reply("pong").script(script("503", "503", "503", "503", "200")).build());
    OpenAiClient client = client(Backoff4jMetrics.builder(registry).build(), policy(), gate().build());

    client.chat().create(HI);

    assertThat(registry.scrape().lines()).contains(
        "backoff4j_gate_state 0.0",
        "backoff4j_gate_waiting 0.0",
        "backoff4j_gate_closings_total 1.0",
        "backoff4j_gate_probes_total{outcome=\"failure\"} 1.0",
        "backoff4j_gate_probes_total{outcome=\"success\"} 1.0",
        "backoff4j_waits_seconds_count{source=\"gate\"} 1",
        "backoff4j_attempts_total{operation=\"chat.completions\",status=\"503\"} 3.0");
  }
}
