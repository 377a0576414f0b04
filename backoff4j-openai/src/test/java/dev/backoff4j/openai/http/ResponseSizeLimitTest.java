package dev.backoff4j.openai.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.ScriptedTransport;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.spi.ResponseSizeLimit;
import dev.backoff4j.testkit.VirtualTime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** maxResponseBytes: enforced while reading, for whole bodies and for each event of a stream; not retried. */
class ResponseSizeLimitTest {

  private static final String COMPLETION = "{\"id\":\"c\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]}";
  private static final ChatRequest HI = ChatRequest.of("gpt-4o-mini", ChatMessage.user("hi"));

  private final VirtualTime time = new VirtualTime();
  private FaultServer server;

  @BeforeEach
  void start() throws IOException {
    server = new FaultServer();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private OpenAiClient client(int limit) {
    return TestSupport.client(server.baseUrl(), TestSupport.preset(time)).maxResponseBytes(limit).build();
  }

  private static byte[] head(String extra) {
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-request-id: req_big\r\n" + extra
        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void theDefaultFitsTheLargestEmbeddingsBatch() {
    // 2,048 inputs × 3,072 dimensions, each number as OpenAI pretty-prints it at full precision
    long worstCase = 2_048L * 3_072 * "        -0.0069292834959924221,\n".length();
    assertThat(ResponseSizeLimit.DEFAULT_MAX_BYTES).isEqualTo(256 * 1024 * 1024)
        .isGreaterThan((int) (worstCase * 1.15));
  }

  @Test
  void aSuccessAnnouncingMoreThanTheLimitFailsAtOnceWithoutReadingIt() {
    server.enqueue((socket, out) -> {
      out.write(head("Content-Length: 200000000\r\n"));
      out.flush();
      sleepQuietly(5_000); // never sends the body: the client must not wait for it
    });
    server.enqueue(FaultServer.ok("application/json", COMPLETION));

    MalformedResponseException e = catchThrowableOfType(MalformedResponseException.class, () -> client(1_000)
        .chat().create(HI));
    assertThat(e.getMessage()).isEqualTo(
        "200 malformed response (req_big): response body larger than 1000 bytes (maxResponseBytes); not retried");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aChunkedSuccessIsCutOffAtTheLimitWhileArriving() throws Exception {
    AtomicLong written = new AtomicLong();
    long total = 50L * 1024 * 1024;
    server.enqueue((socket, out) -> {
      out.write(head("Transfer-Encoding: chunked\r\n"));
      byte[] piece = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      try {
        while (written.get() < total) {
          out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(piece);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          written.addAndGet(piece.length);
        }
      } catch (IOException clientWentAway) {
        // what the test expects
      }
    });

    assertThat(catchThrowable(() -> client(100_000).chat().create(HI)))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("larger than 97.7 KiB");
    Thread.sleep(100);
    assertThat(written.get()).isLessThan(total); // the client stopped reading: the server could not finish
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void asyncCallsAreRefusedAlike() {
    server.enqueue((socket, out) -> {
      out.write(head("Content-Length: 5000\r\n"));
      out.write(" ".repeat(5000).getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
    CompletableFuture<?> call = client(1_000).chat().createAsync(HI);
    assertThat(catchThrowable(() -> TestSupport.await(call, time))).isInstanceOf(MalformedResponseException.class);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void anErrorBodyLargerThanTheLimitIsCutNotRefused() {
    server.enqueue((socket, out) -> {
      byte[] body = ("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}" + " ".repeat(500_000))
          .getBytes(StandardCharsets.US_ASCII);
      out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    });
    server.enqueue(FaultServer.ok("application/json", COMPLETION));

    assertThat(client(1_000).chat().create(HI).text()).isEqualTo("ok"); // the 503 was retried
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void aStreamEventLargerThanTheLimitBeforeAnyOutputIsMalformedAndNotRetried() {
    server.enqueue(FaultServer.stream("{\"id\":\"c\",\"choices\":[],\"pad\":\"" + "x".repeat(5_000) + "\"}"));
    server.enqueue(FaultServer.stream("{\"id\":\"c\",\"choices\":[]}"));

    assertThat(catchThrowable(() -> client(1_000).chat().stream(HI)))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessage("200 malformed response (req_fault): stream event larger than 1000 bytes (maxResponseBytes); "
            + "not retried");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aStreamingTransportsBodyIsReadNoFurtherThanTheLimit() {
    AtomicLong read = new AtomicLong();
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        read.incrementAndGet();
        return ' ';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) ' ');
        read.addAndGet(len);
        return len;
      }
    };
    Transport streaming = new Transport() {
      @Override
      public Response execute(Request request, Optional<java.time.Duration> timeout) {
        return new Response(request, 200, Headers.empty(), ResponseBody.of(endless));
      }

      @Override
      public CompletableFuture<Response> executeAsync(Request request, Optional<java.time.Duration> timeout) {
        return CompletableFuture.completedFuture(execute(request, timeout));
      }
    };
    OpenAiClient client = TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time))
        .maxResponseBytes(10_000).transport(streaming).build();

    assertThat(catchThrowable(() -> client.chat().create(HI))).isInstanceOf(MalformedResponseException.class);
    assertThat(read.get()).isLessThan(10_000 + 16 * 1024);
  }

  @Test
  void theLimitTravelsToTheTransportAndABufferedBodyOverItIsRefused() {
    ScriptedTransport transport = new ScriptedTransport().enqueue(200, Map.of(), " ".repeat(2_000) + COMPLETION);
    OpenAiClient client = TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time))
        .maxResponseBytes(1_000).transport(transport).build();

    assertThat(catchThrowable(() -> client.chat().create(HI))).isInstanceOf(MalformedResponseException.class);
    assertThat(transport.sent).hasSize(1);
    assertThat(ResponseSizeLimit.of(transport.sent.get(0))).isEqualTo(1_000);
  }

  @Test
  void aLimitOutOfRangeIsRefusedNamingTheSetting() {
    for (int bad : List.of(0, -1, Integer.MAX_VALUE)) {
      assertThat(catchThrowable(() -> OpenAiClient.builder().maxResponseBytes(bad)))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageStartingWith("openai client setting 'maxResponseBytes' must be between 1 and ");
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
