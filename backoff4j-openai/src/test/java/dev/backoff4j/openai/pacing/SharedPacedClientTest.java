package dev.backoff4j.openai.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.ScriptedTransport;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.spi.SharedPacingStore;
import dev.backoff4j.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pacer with a shared store inside a client: what the store is told, and on which thread a call goes on. */
class SharedPacedClientTest {

  private static final String COMPLETION = "{\"id\":\"c\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}],"
      + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":30,\"total_tokens\":39}}";
  private static final ChatRequest HELLO = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hello world"));

  private final VirtualTime time = new VirtualTime();
  private final ExecutorService storeThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "store-io"));
  private final ExecutorService callThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "call-executor"));
  private final AnsweringStore store = new AnsweringStore();

  @AfterEach
  void stop() {
    storeThread.shutdownNow();
    callThread.shutdownNow();
  }

  @Test
  void theStoreIsToldTheAccountAsADigestNeverTheKey() {
    ScriptedTransport transport = new ScriptedTransport();
    transport.enqueue(200, Map.of(), COMPLETION);
    Pacer pacer = Pacer.builder().timeSource(time).requestsPerMinute(60).sharedStore(store).build();
    OpenAiClient client = TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time))
        .transport(transport).pacer(pacer).build();

    assertThat(client.chat().create(HELLO).text()).isEqualTo("ok");

    assertThat(store.scopes).singleElement().satisfies(scope -> {
      assertThat(scope.baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
      assertThat(scope.limitGroup()).isEqualTo("gpt-4o-mini");
      assertThat(scope.accountDigest()).isEqualTo(SharedPacingStore.Scope.digest("key:" + TestSupport.KEY))
          .doesNotContain(TestSupport.KEY);
      assertThat(scope.toString()).doesNotContain(TestSupport.KEY);
    });
    assertThat(pacer.toString()).doesNotContain(TestSupport.KEY);
  }

  @Test
  void anAsynchronousCallGoesOnOnItsExecutorNotOnTheStoresThread() throws Exception {
    List<String> sendingThreads = new CopyOnWriteArrayList<>();
    ScriptedTransport scripted = new ScriptedTransport();
    scripted.enqueue(200, Map.of(), COMPLETION);
    dev.backoff4j.openai.http.Transport transport = new dev.backoff4j.openai.http.Transport() {
      @Override
      public Response execute(Request request, Optional<Duration> timeout) {
        return scripted.execute(request, timeout);
      }

      @Override
      public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
        sendingThreads.add(Thread.currentThread().getName());
        return scripted.executeAsync(request, timeout);
      }
    };
    Pacer pacer = Pacer.builder().timeSource(time).requestsPerMinute(60).sharedStore(store).build();
    OpenAiClient client = TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time).asyncExecutor(callThread))
        .transport(transport).pacer(pacer).build();

    store.holdAnswers = true;
    CompletableFuture<dev.backoff4j.openai.chat.ChatCompletion> call = client.chat().createAsync(HELLO);
    // The answer arrives only now, on the store's thread, after the call was handed back.
    store.releaseAnswers();
    assertThat(call.get(10, TimeUnit.SECONDS).text()).isEqualTo("ok");

    assertThat(store.scopes).hasSize(1);
    assertThat(sendingThreads).containsExactly("call-executor");
  }

  /** Queues every reservation with no wait, answering on its own thread as a networked store does. */
  private final class AnsweringStore implements SharedPacingStore {
    final List<Scope> scopes = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Outcome>> held = new CopyOnWriteArrayList<>();
    volatile boolean holdAnswers;

    @Override
    public CompletableFuture<Outcome> reserve(Scope scope, Limits limits, long tokens) {
      scopes.add(scope);
      if (!holdAnswers) {
        return CompletableFuture.completedFuture(new Reserved(0, 0, "receipt"));
      }
      CompletableFuture<Outcome> answer = new CompletableFuture<>();
      held.add(answer);
      return answer;
    }

    void releaseAnswers() {
      for (CompletableFuture<Outcome> answer : held) {
        storeThread.execute(() -> answer.complete(new Reserved(0, 0, "receipt")));
      }
    }

    @Override
    public void correctTokens(Scope scope, Limits limits, long delta) {}

    @Override
    public void cancel(Scope scope, Limits limits, Reserved reservation) {}

    @Override
    public void drain(Scope scope, Limits limits, boolean requests, boolean tokens, Duration pause) {}

    @Override
    public void publishLimits(Scope scope, Limits learned) {}

    @Override
    public int liveInstances(Scope scope) {
      return 1;
    }

    @Override
    public void close() {}
  }
}
