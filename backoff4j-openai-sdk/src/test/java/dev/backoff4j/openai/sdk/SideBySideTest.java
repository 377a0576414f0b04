package dev.backoff4j.openai.sdk;

import static dev.backoff4j.openai.sdk.Clients.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.testkit.VirtualTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plain official SDK (as shipped: 2 retries) and the same SDK through the bridge, against the
 * same scripted mock. Attempts are counted by the mock; the plain SDK's waits are what it asked its
 * sleeper for, the bridge's what it asked its virtual clock for. These assertions are the README's table.
 */
class SideBySideTest {

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  private final RecordingSleeper sleeper = new RecordingSleeper();
  private final VirtualTime time = new VirtualTime(Instant.now());
  private final List<OpenAIClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(OpenAIClient::close);
  }

  private MockServer mock(String script) {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().reply("one two three four").streamChunks(4).script(script).build());
    return mock;
  }

  private OpenAIClient plain(MockServer mock) {
    return plain(mock, Clock.systemUTC());
  }

  private OpenAIClient plain(MockServer mock, Clock clock) {
    OpenAIClient client = Clients.plain(mock, sleeper, clock);
    clients.add(client);
    return client;
  }

  private OpenAIClient bridged(MockServer mock, dev.backoff4j.retry.RetryPolicyBuilder<Object> policy) {
    return bridged(mock, policy, settings -> { });
  }

  private OpenAIClient bridged(MockServer mock, dev.backoff4j.retry.RetryPolicyBuilder<Object> policy,
      java.util.function.Consumer<Backoff4jOpenAI.Builder> settings) {
    OpenAIClient client = Clients.bridged(mock, policy, settings);
    clients.add(client);
    return client;
  }

  private long attempts(MockServer mock) {
    long total = mock.stats().totalRequests();
    mock.reset();
    return total;
  }

  @Test
  void insufficientQuotaIsNotRetried() {
    MockServer mock = mock("quota,quota,quota,quota,quota");

    RateLimitException plain = catchThrowableOfType(RateLimitException.class,
        () -> plain(mock).chat().completions().create(chat("x")));
    assertThat(plain.code()).contains("insufficient_quota");
    assertThat(attempts(mock)).isEqualTo(3);
    assertThat(sleeper.sleeps()).hasSize(2);

    mock("quota,quota,quota,quota,quota");
    RateLimitException bridged = catchThrowableOfType(RateLimitException.class,
        () -> bridged(mock, OpenAiRetryPolicy.builder(time)).chat().completions().create(chat("x")));
    assertThat(bridged.code()).contains("insufficient_quota");
    assertThat(attempts(mock)).isEqualTo(1);
    assertThat(time.sleeps()).isEmpty();
    assertThat(bridged.headers().values(Backoff4jOpenAI.GAVE_UP_HEADER)).containsExactly("NOT_RETRYABLE");
    assertThat(bridged.headers().values(Backoff4jOpenAI.ATTEMPTS_HEADER)).containsExactly("1");
  }

  @Test
  void anHourLongRetryAfterFailsAtOnceWhereThePlainSdkWaitsEightSeconds() {
    MockServer mock = mock("hint-s:3600,200");

    assertThat(Clients.text(plain(mock).chat().completions().create(chat("x")))).isEqualTo("one two three four");
    assertThat(attempts(mock)).isEqualTo(2);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(8));

    mock("hint-s:3600,200");
    RateLimitException bridged = catchThrowableOfType(RateLimitException.class,
        () -> bridged(mock, OpenAiRetryPolicy.builder(time).maxElapsed(Duration.ofSeconds(10)))
            .chat().completions().create(chat("x")));
    assertThat(attempts(mock)).isEqualTo(1);
    assertThat(time.elapsed()).isZero();
    assertThat(bridged.headers().values(Backoff4jOpenAI.GAVE_UP_HEADER)).containsExactly("HINT_EXCEEDS_CAP");
    assertThat(bridged.headers().values(Backoff4jOpenAI.REJECTED_HINT_HEADER)).containsExactly("3600000");
  }

  @Test
  void theDeadlineAloneRefusesAHintThatWouldEndPastIt() {
    MockServer mock = mock("hint-s:3600,200");
    RateLimitException bridged = catchThrowableOfType(RateLimitException.class,
        () -> bridged(mock, OpenAiRetryPolicy.builder(time).maxServerDelay(Duration.ofHours(2))
            .maxElapsed(Duration.ofSeconds(10))).chat().completions().create(chat("x")));
    assertThat(attempts(mock)).isEqualTo(1);
    assertThat(time.elapsed()).isZero();
    assertThat(bridged.headers().values(Backoff4jOpenAI.GAVE_UP_HEADER)).containsExactly("DEADLINE_EXCEEDED");
  }

  @Test
  void aPastRetryAfterDateFallsBackToBackoffWhereThePlainSdkRetriesImmediately() {
    // The clients' clocks run an hour ahead of the server's, so its date is an hour in the past.
    Instant clientNow = Instant.now().plus(Duration.ofHours(1));
    MockServer mock = mock("hint-date:0,200");

    plain(mock, Clock.offset(Clock.systemUTC(), Duration.ofHours(1))).chat().completions().create(chat("x"));
    assertThat(attempts(mock)).isEqualTo(2);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ZERO);

    mock("hint-date:0,200");
    VirtualTime ahead = new VirtualTime(clientNow);
    bridged(mock, OpenAiRetryPolicy.builder(ahead)).chat().completions().create(chat("x"));
    assertThat(attempts(mock)).isEqualTo(2);
    assertThat(ahead.sleeps()).singleElement().satisfies(wait ->
        assertThat(wait).isBetween(Duration.ofMillis(250), Duration.ofMillis(500))); // 500 ms backoff, equal jitter
  }

  @Test
  void theDeadlineCapsTheTotalWaitWhereThePlainSdkHasNone() {
    String script = "hint-ms:8000,hint-ms:8000,hint-ms:8000,hint-ms:8000,hint-ms:8000";
    MockServer mock = mock(script);

    catchThrowableOfType(RateLimitException.class, () -> plain(mock).chat().completions().create(chat("x")));
    assertThat(attempts(mock)).isEqualTo(3);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(8), Duration.ofSeconds(8));

    mock(script);
    RateLimitException bridged = catchThrowableOfType(RateLimitException.class,
        () -> bridged(mock, OpenAiRetryPolicy.builder(time).maxElapsed(Duration.ofSeconds(10)))
            .chat().completions().create(chat("x")));
    assertThat(attempts(mock)).isEqualTo(2);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(8));
    assertThat(bridged.headers().values(Backoff4jOpenAI.GAVE_UP_HEADER))
        .containsExactly(GiveUpReason.DEADLINE_EXCEEDED.name());
  }

  @Test
  void backoffIsJitteredOverHalfTheDelayWhereThePlainSdkJittersAQuarter() {
    int runs = 20;
    String script = String.join(",", Collections.nCopies(runs, "503,200"));
    MockServer mock = mock(script);
    OpenAIClient plain = plain(mock);
    for (int i = 0; i < runs; i++) {
      plain.chat().completions().create(chat("x"));
    }
    assertThat(attempts(mock)).isEqualTo(2L * runs);
    assertThat(sleeper.sleeps()).hasSize(runs)
        .allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofMillis(375), Duration.ofMillis(500)));
    assertThat(new HashSet<>(sleeper.sleeps())).hasSizeGreaterThan(1);

    mock(script);
    // no budget here: a server failing every other call would (rightly) exhaust it; this is about jitter
    OpenAIClient bridged = bridged(mock, OpenAiRetryPolicy.builder(time).budget(null));
    for (int i = 0; i < runs; i++) {
      bridged.chat().completions().create(chat("x"));
    }
    assertThat(attempts(mock)).isEqualTo(2L * runs);
    assertThat(time.sleeps()).hasSize(runs)
        .allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofMillis(250), Duration.ofMillis(500)));
    assertThat(new HashSet<>(time.sleeps())).hasSizeGreaterThan(1);
  }

  @Test
  void aFailFastRetryBudgetBoundsTheRetriesOfAnOutageWhereThePlainSdkTriplesTheTraffic() {
    int calls = 20;
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().faultRates("503=1").build());
    OpenAIClient plain = plain(mock);
    for (int i = 0; i < calls; i++) {
      catchThrowableOfType(OpenAIServiceException.class, () -> plain.chat().completions().create(chat("x")));
    }
    assertThat(attempts(mock)).isEqualTo(3L * calls);

    RetryBudget.Settings budget = RetryBudget.settings().ratio(0.1).minRetriesPerSecond(0).build();
    // Fail fast, and no outage gate, so only the budget bounds the traffic (the preset's budget waits).
    OpenAIClient bridged = bridged(mock, OpenAiRetryPolicy.builder(time).budget(budget)
        .onBudgetExhausted(WhenExhausted.FAIL), b -> b.outageGate(OutageGate.disabled()));
    for (int i = 0; i < calls; i++) {
      catchThrowableOfType(OpenAIServiceException.class, () -> bridged.chat().completions().create(chat("x")));
    }
    assertThat(attempts(mock)).isEqualTo(calls + 2); // a tenth of a retry earned per call
  }

  @Test
  void aStreamCutBeforeItsFirstChunkIsRetriedWhereThePlainSdkFails() {
    MockServer mock = mock("sse-cut:0,200");
    StringBuilder plainText = new StringBuilder();
    OpenAIIoException plain = catchThrowableOfType(OpenAIIoException.class,
        () -> Clients.readStream(plain(mock).chat().completions().createStreaming(chat("x")), plainText));
    assertThat(plain).hasMessage("Stream failed");
    assertThat(plainText).isEmpty();
    assertThat(attempts(mock)).isEqualTo(1);

    mock("sse-cut:0,200");
    StringBuilder bridgedText = new StringBuilder();
    Clients.readStream(bridged(mock, OpenAiRetryPolicy.builder(time)).chat().completions()
        .createStreaming(chat("x")), bridgedText);
    assertThat(bridgedText).hasToString("one two three four");
    assertThat(attempts(mock)).isEqualTo(2);
  }

  @Test
  void aStreamCutAfterItsFirstChunkFailsOnceWithoutRepeatingText() {
    MockServer mock = mock("sse-cut:2,200");
    StringBuilder plainText = new StringBuilder();
    catchThrowableOfType(OpenAIIoException.class,
        () -> Clients.readStream(plain(mock).chat().completions().createStreaming(chat("x")), plainText));
    assertThat(attempts(mock)).isEqualTo(1);

    mock("sse-cut:2,200");
    StringBuilder bridgedText = new StringBuilder();
    OpenAIIoException bridged = catchThrowableOfType(OpenAIIoException.class,
        () -> Clients.readStream(bridged(mock, OpenAiRetryPolicy.builder(time)).chat().completions()
            .createStreaming(chat("x")), bridgedText));
    assertThat(bridged).hasMessage("Stream failed");
    assertThat(attempts(mock)).isEqualTo(1);
    assertThat(bridgedText).hasToString(plainText.toString()).isNotEmpty();
    assertThat("one two three four").startsWith(bridgedText.toString());
  }
}
