package dev.backoff4j.openai.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Giving up on an exchange (cancel, or the blocking call's timeout) closes its connection. */
class JdkHttpTransportCancellationTest {

  /** Accepts one connection, reads the request and never answers; notes when the client hangs up. */
  private static final class SilentServer implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final CountDownLatch requestRead = new CountDownLatch(1);
    final CountDownLatch clientHungUp = new CountDownLatch(1);
    final Thread thread = new Thread(this::serve, "silent-server");

    SilentServer() throws IOException {
      thread.setDaemon(true);
      thread.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions");
    }

    private void serve() {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
          matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
          if (matched == 4) {
            requestRead.countDown(); // end of the head; a GET has no body
          }
        }
        clientHungUp.countDown();
      } catch (IOException e) {
        clientHungUp.countDown(); // a reset is a hang-up too
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private SilentServer server;
  private final JdkHttpTransport transport = JdkHttpTransport.create(Duration.ofSeconds(5));

  @BeforeEach
  void start() throws IOException {
    server = new SilentServer();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void cancellingAnAsyncExchangeClosesItsConnection() throws Exception {
    CompletableFuture<Response> call = transport.executeAsync(Request.get(server.url()), Optional.empty());
    assertThat(server.requestRead.await(5, TimeUnit.SECONDS)).as("request arrived").isTrue();

    call.cancel(true);

    assertThat(server.clientHungUp.await(5, TimeUnit.SECONDS)).as("connection closed").isTrue();
  }

  @Test
  void aBlockingCallThatTimesOutClosesItsConnection() throws Exception {
    assertThatThrownBy(() -> transport.execute(Request.get(server.url()), Optional.of(Duration.ofMillis(100))))
        .isInstanceOf(OpenAiTimeoutException.class);

    assertThat(server.clientHungUp.await(5, TimeUnit.SECONDS)).as("connection closed").isTrue();
  }
}
