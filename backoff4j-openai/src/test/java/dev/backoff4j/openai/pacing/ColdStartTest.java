package dev.backoff4j.openai.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.testkit.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The pacer's cold start: until a seed or a response has told it the limits, a scope sends one
 * request alone and one more per response, instead of a first burst sent blind.
 */
class ColdStartTest {

  private static final String COMPLETION = "{\"id\":\"c\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]}";
  private static final ChatRequest HELLO = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hello world"))
      .maxCompletionTokens(10);

  private final VirtualTime time = new VirtualTime();
  private final Held transport = new Held();

  /** Holds every exchange until the test answers it, with or without rate-limit headers. */
  private static final class Held implements Transport {
    final List<CompletableFuture<Response>> open = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();
    int sent;

    @Override
    public Response execute(Request request, Optional<Duration> timeout) {
      synchronized (this) {
        sent++;
      }
      return answer(request, Map.of());
    }

    @Override
    public synchronized CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
      sent++;
      CompletableFuture<Response> exchange = new CompletableFuture<>();
      open.add(exchange);
      requests.add(request);
      return exchange;
    }

    synchronized int inFlight() {
      return open.size();
    }

    /** Answers every exchange in flight (not those it lets go meanwhile). */
    void answerAll(Map<String, String> headers) {
      List<CompletableFuture<Response>> now;
      List<Request> of;
      synchronized (this) {
        now = new ArrayList<>(open);
        of = new ArrayList<>(requests);
        open.clear();
        requests.clear();
      }
      for (int i = 0; i < now.size(); i++) {
        now.get(i).complete(answer(of.get(i), headers));
      }
    }

    private static Response answer(Request request, Map<String, String> headers) {
      Map<String, List<String>> multi = new LinkedHashMap<>();
      headers.forEach((name, value) -> multi.put(name, List.of(value)));
      return new Response(request, 200, Headers.of(multi), ResponseBody.of(COMPLETION.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static Map<String, String> limits(int limit, int remaining) {
    return Map.of("x-ratelimit-limit-requests", String.valueOf(limit),
        "x-ratelimit-remaining-requests", String.valueOf(remaining), "x-ratelimit-reset-requests", "1s");
  }

  private OpenAiClient client(Pacer pacer) {
    return TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time)).transport(transport).pacer(pacer)
        .build();
  }

  private List<CompletableFuture<ChatCompletion>> send(OpenAiClient client, int calls) {
    List<CompletableFuture<ChatCompletion>> sent = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      sent.add(client.chat().createAsync(HELLO));
    }
    return sent;
  }

  @Test
  void aColdPacerSendsTheFirstRequestAloneAndThePacedRestOnceItHasLearned() {
    Pacer pacer = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO).build();
    List<CompletableFuture<ChatCompletion>> calls = send(client(pacer), 20);
    assertThat(transport.inFlight()).isEqualTo(1);
    time.advance(Duration.ofSeconds(5));
    assertThat(transport.inFlight()).as("nothing else until the first answer").isEqualTo(1);

    // The answer teaches a limit of 10 per second with 5 left: 5 go now, the rest as the bucket refills.
    transport.answerAll(Map.of("x-ratelimit-limit-requests", "10", "x-ratelimit-remaining-requests", "5",
        "x-ratelimit-reset-requests", "500ms"));
    assertThat(transport.inFlight()).isEqualTo(5);
    transport.answerAll(limits(10, 0));
    time.advance(Duration.ofMillis(1_400));
    transport.answerAll(limits(10, 0));
    assertThat(transport.sent).as("refilled at 10 per second").isBetween(19, 21);
    time.advance(Duration.ofSeconds(1));
    transport.answerAll(limits(10, 0));
    assertThat(calls).allSatisfy(call -> assertThat(call).isCompleted());
    assertThat(pacer.stats().paced()).isPositive();
  }

  @Test
  void withoutLimitHeadersItRampsUpOneMorePerAnswer() {
    Pacer pacer = Pacer.builder().timeSource(time).build();
    send(client(pacer), 40);
    List<Integer> inFlightPerRound = new ArrayList<>();
    while (transport.inFlight() > 0) {
      inFlightPerRound.add(transport.inFlight());
      transport.answerAll(Map.of());
    }
    assertThat(inFlightPerRound).containsExactly(1, 2, 4, 8, 16, 9);
  }

  @Test
  void aServerThatNeverSendsLimitsIsNoLongerHeldBackOnceTheWindowIsWide() {
    Pacer pacer = Pacer.builder().timeSource(time).build();
    OpenAiClient client = client(pacer);
    send(client, 127);
    for (int round = 0; round < 7; round++) {
      transport.answerAll(Map.of()); // 1 + 2 + 4 + ... + 64 = 127 answered; the window reached 64
    }
    assertThat(transport.sent).isEqualTo(127);
    send(client, 200);
    assertThat(transport.inFlight()).as("warm: the unknown limits hold nobody back").isEqualTo(200);
  }

  @Test
  void seedsTellTheLimitsSoThereIsNoColdStart() {
    Pacer pacer = Pacer.builder().timeSource(time).requestsPerMinute(6_000).build();
    send(client(pacer), 20);
    assertThat(transport.inFlight()).isEqualTo(20);
  }

  @Test
  void eachModelHasItsOwnColdStart() {
    Pacer pacer = Pacer.builder().timeSource(time).build();
    OpenAiClient client = client(pacer);
    for (int i = 0; i < 3; i++) {
      client.chat().createAsync(HELLO);
      client.chat().createAsync(ChatRequest.of("gpt-4.1", ChatMessage.user("hi")).maxCompletionTokens(10));
    }
    assertThat(transport.inFlight()).isEqualTo(2);
  }

  @Test
  void cancellingAColdWaiterTakesItOutOfLine() {
    Pacer pacer = Pacer.builder().timeSource(time).build();
    List<CompletableFuture<ChatCompletion>> calls = send(client(pacer), 3);
    calls.get(1).cancel(true);
    transport.answerAll(Map.of()); // the window is 2 now: both remaining calls could go, one is left
    assertThat(transport.inFlight()).isEqualTo(1);
    transport.answerAll(Map.of());
    assertThat(calls.get(2)).isCompleted();
    assertThat(transport.sent).isEqualTo(2);
  }

  @Test
  void aBlockingCallIsNeverHeldByItsOwnColdStart() {
    Pacer pacer = Pacer.builder().timeSource(time).build();
    OpenAiClient client = client(pacer);
    for (int i = 0; i < 3; i++) {
      assertThat(client.chat().create(HELLO).text()).isEqualTo("ok");
    }
    assertThat(time.elapsed()).isEqualTo(Duration.ZERO);
  }
}
