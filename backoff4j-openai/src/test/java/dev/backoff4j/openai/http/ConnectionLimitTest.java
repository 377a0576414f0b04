package dev.backoff4j.openai.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** At most so many exchanges per host: the rest wait in line, and are not failed. */
class ConnectionLimitTest {

  private static Request post(CountingServer server) {
    return Request.postJson(server.url("/v1/chat/completions"), "{}".getBytes());
  }

  private static void eventually(Runnable assertion) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        Thread.sleep(5);
      }
    }
  }

  @Test
  void manyConcurrentCallsUseAtMostTheLimitAndAllSucceed() throws Exception {
    try (CountingServer server = new CountingServer(20, false)) {
      JdkHttpTransport transport = JdkHttpTransport.builder().maxConnectionsPerHost(4).build();
      List<CompletableFuture<Response>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(transport.executeAsync(post(server), Optional.of(Duration.ofSeconds(30))));
      }
      for (CompletableFuture<Response> call : calls) {
        assertThat(call.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
      assertThat(server.requests()).isEqualTo(200);
      assertThat(server.peakInProgress()).isEqualTo(4);
      assertThat(server.peakOpenConnections()).isLessThanOrEqualTo(4);
    }
  }

  @Test
  void theClientsSettingReachesItsTransport() throws Exception {
    try (CountingServer server = new CountingServer(20, false)) {
      OpenAiClient client = OpenAiClient.builder().environment(name -> null).baseUrl(server.url("/v1").toString())
          .maxConnectionsPerHost(3).build();
      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        calls.add(client.postAsync("/anything", java.util.Map.of()));
      }
      CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
      assertThat(server.peakInProgress()).isEqualTo(3);
      assertThat(((JdkHttpTransport) client.pipeline().transport()).maxConnectionsPerHost()).isEqualTo(3);
    }
  }

  @Test
  void theDefaultIsSixtyFour() {
    assertThat(JdkHttpTransport.builder().build().maxConnectionsPerHost()).isEqualTo(64);
    assertThat(JdkHttpTransport.DEFAULT_MAX_CONNECTIONS_PER_HOST).isEqualTo(64);
  }

  @Test
  void aCallWaitingInLineTimesOutWithoutReachingTheServer() throws Exception {
    try (CountingServer server = new CountingServer(0, true)) {
      JdkHttpTransport transport = JdkHttpTransport.builder().maxConnectionsPerHost(1).build();
      CompletableFuture<Response> first = transport.executeAsync(post(server), Optional.empty());
      eventually(() -> assertThat(server.requests()).isEqualTo(1));

      CompletableFuture<Response> queued = transport.executeAsync(post(server), Optional.of(Duration.ofMillis(50)));
      Throwable failure = catchThrowable(() -> queued.get(5, TimeUnit.SECONDS));
      assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(OpenAiTimeoutException.class);

      server.release();
      assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(transport.executeAsync(post(server), Optional.empty()).get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(server.requests()).isEqualTo(2); // the one that timed out in line was never sent
    }
  }

  @Test
  void aCancelledCallLeavesTheLine() throws Exception {
    try (CountingServer server = new CountingServer(0, true)) {
      JdkHttpTransport transport = JdkHttpTransport.builder().maxConnectionsPerHost(1).build();
      CompletableFuture<Response> first = transport.executeAsync(post(server), Optional.empty());
      eventually(() -> assertThat(server.requests()).isEqualTo(1));
      CompletableFuture<Response> cancelled = transport.executeAsync(post(server), Optional.empty());
      CompletableFuture<Response> third = transport.executeAsync(post(server), Optional.empty());
      cancelled.cancel(true);

      server.release();
      assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(third.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(server.requests()).isEqualTo(2);
    }
  }

  @Test
  void anOpenStreamHoldsItsPlaceUntilClosed() throws Exception {
    try (CountingServer server = new CountingServer(0, false)) {
      JdkHttpTransport transport = JdkHttpTransport.builder().maxConnectionsPerHost(1).build();
      Response stream = transport.execute(post(server).withStreaming(true), Optional.empty());
      CompletableFuture<Response> next = transport.executeAsync(post(server), Optional.empty());
      Thread.sleep(50);
      assertThat(next).isNotDone();
      assertThat(server.requests()).isEqualTo(1);

      stream.close();
      assertThat(next.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }

  @Test
  void aLimitBelowOneIsRefusedNamingTheSetting() {
    assertThat(catchThrowable(() -> JdkHttpTransport.builder().maxConnectionsPerHost(0)))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("'maxConnectionsPerHost'");
    assertThat(catchThrowable(() -> OpenAiClient.builder().maxConnectionsPerHost(-1)))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("openai client setting 'maxConnectionsPerHost' must be at least 1, was -1");
  }

}
