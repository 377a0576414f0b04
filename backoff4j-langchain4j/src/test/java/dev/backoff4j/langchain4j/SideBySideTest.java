package dev.backoff4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.testkit.VirtualTime;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plain LangChain4j 1.19.0 (its JDK client, {@code maxRetries} 2) and the same models on backoff4j's
 * client, against the same scripted mock. These assertions are the README's table. Attempts are
 * counted by the mock; plain LangChain4j's waits are real sleeps (it has no clock to replace), read
 * from the mock's arrival times, backoff4j's are what it asked its virtual clock for.
 */
class SideBySideTest {

  private static final String REPLY = "one two three four";

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  private final VirtualTime time = new VirtualTime();

  private MockServer mock(String script) {
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().reply(REPLY).streamChunks(4).script(script).build());
    return mock;
  }

  private static long attempts(MockServer mock) {
    long total = mock.stats().totalRequests();
    mock.reset();
    return total;
  }

  /** The gap between the first two requests the mock received. */
  private static Duration firstGap(MockServer mock) {
    List<RequestRecord> requests = mock.stats().requests();
    return Duration.ofNanos(requests.get(1).sinceStartNanos() - requests.get(0).sinceStartNanos());
  }

  @Test
  void insufficientQuotaIsSentOnceWherePlainLangChain4jSendsItThreeTimes() {
    MockServer mock = mock("quota,quota,quota,quota,quota");

    Throwable plain = catchThrowable(() -> Models.chat(mock, null).chat("hi"));
    assertThat(plain).isInstanceOf(RateLimitException.class); // a retriable type: it was retried
    assertThat(attempts(mock)).isEqualTo(3);

    mock("quota,quota,quota,quota,quota");
    Backoff4jRateLimitException backoff4j = catchThrowableOfType(Backoff4jRateLimitException.class,
        () -> Models.chat(mock, Models.backoff4j(time)).chat("hi"));
    assertThat(backoff4j.isQuotaExceeded()).isTrue();
    assertThat(attempts(mock)).isEqualTo(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void retryAfterIsWaitedWherePlainLangChain4jRetriesAfterHalfASecond() {
    MockServer mock = mock("hint-s:30,200");

    assertThat(Models.chat(mock, null).chat("hi")).isEqualTo(REPLY);
    assertThat(firstGap(mock)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(10)); // not the 30 s asked
    assertThat(attempts(mock)).isEqualTo(2);

    mock("hint-s:30,200");
    assertThat(Models.chat(mock, Models.backoff4j(time)).chat("hi")).isEqualTo(REPLY);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30));
    assertThat(attempts(mock)).isEqualTo(2);
  }

  @Test
  void aRetryBudgetBoundsAnOutageWherePlainLangChain4jTriplesTheTraffic() throws Exception {
    int calls = 20;
    MockServer mock = mockServer.server();
    mock.scenario(Scenario.builder().faultRates("503=1").build());

    OpenAiChatModel plain = Models.chat(mock, null);
    ExecutorService pool = Executors.newFixedThreadPool(calls); // its real sleeps, side by side
    try {
      List<Future<Throwable>> outcomes = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        outcomes.add(pool.submit(() -> catchThrowable(() -> plain.chat("hi"))));
      }
      for (Future<Throwable> outcome : outcomes) {
        assertThat(outcome.get()).isInstanceOf(InternalServerException.class);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(attempts(mock)).isEqualTo(3L * calls);

    RetryBudget.Settings budget = RetryBudget.settings().ratio(0.1).minRetriesPerSecond(0).build();
    OpenAiChatModel backoff4j = Models.chat(mock, Models.backoff4j(OpenAiRetryPolicy.builder(time).budget(budget)));
    for (int i = 0; i < calls; i++) {
      catchThrowableOfType(Backoff4jServerException.class, () -> backoff4j.chat("hi"));
    }
    assertThat(attempts(mock)).isEqualTo(calls + 2); // the budget's initial retries, then none: nothing was earned
  }

  @Test
  void aStreamCutBeforeItsFirstEventIsRetriedWherePlainLangChain4jFailsAndCompletesEmpty() throws Exception {
    MockServer mock = mock("sse-cut:0,200");
    StreamRecorder plain = new StreamRecorder();
    Models.streaming(mock, null).chat("hi", plain);
    plain.awaitTerminals(2);
    assertThat(plain.events).containsExactly("error:LangChain4jException", "complete:null"); // an error, then "done"
    assertThat(attempts(mock)).isEqualTo(1);

    mock("sse-cut:0,200");
    StreamRecorder backoff4j = new StreamRecorder();
    Models.streaming(mock, Models.backoff4j(time)).chat("hi", backoff4j);
    backoff4j.awaitEnd();
    assertThat(backoff4j.events).last().isEqualTo("complete:" + REPLY);
    assertThat(backoff4j.partialText()).isEqualTo(REPLY);
    assertThat(attempts(mock)).isEqualTo(2);
  }

  @Test
  void aStreamCutAfterTwoEventsIsOneErrorWherePlainLangChain4jReportsAnErrorAndThenCompletion() throws Exception {
    MockServer mock = mock("sse-cut:2");
    StreamRecorder plain = new StreamRecorder();
    Models.streaming(mock, null).chat("hi", plain);
    plain.awaitTerminals(2);
    assertThat(plain.events).filteredOn(e -> !e.startsWith("partial:"))
        .hasSize(2).first().isEqualTo("error:LangChain4jException");
    // completed with whatever had been read (none, when the reset beat the reader: java.net.http drops it)
    assertThat(Objects.toString(plain.response.aiMessage().text(), "")).isEqualTo(plain.partialText());
    assertThat(attempts(mock)).isEqualTo(1);

    mock("sse-cut:2");
    StreamRecorder backoff4j = new StreamRecorder();
    Models.streaming(mock, Models.backoff4j(time)).chat("hi", backoff4j);
    backoff4j.awaitEnd();
    assertThat(backoff4j.terminals()).isEqualTo(1);
    assertThat(backoff4j.error).isInstanceOf(Backoff4jStreamInterruptedException.class);
    assertThat(((Backoff4jStreamInterruptedException) backoff4j.error).partialText())
        .isEqualTo(backoff4j.partialText()).isNotEmpty();
    assertThat(REPLY).startsWith(backoff4j.partialText()).isNotEqualTo(backoff4j.partialText());
    assertThat(attempts(mock)).isEqualTo(1);
  }

  @Test
  void aMalformed200IsSentOnceWherePlainLangChain4jSendsItThreeTimes() {
    MockServer mock = mock("malformed,malformed,malformed");

    catchThrowable(() -> Models.chat(mock, null).chat("hi"));
    assertThat(attempts(mock)).isEqualTo(3);

    mock("malformed,malformed,malformed");
    catchThrowableOfType(Backoff4jCallException.class, () -> Models.chat(mock, Models.backoff4j(time)).chat("hi"));
    assertThat(attempts(mock)).isEqualTo(1);
  }
}
