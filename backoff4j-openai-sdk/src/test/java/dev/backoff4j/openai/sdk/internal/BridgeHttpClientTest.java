package dev.backoff4j.openai.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.WebSocketClient;
import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.OpenAiPipelineBuilder;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.testkit.VirtualTime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The bridge over a scripted SDK client: what reaches the wire, and what goes back to the SDK. */
class BridgeHttpClientTest {

  /** An SDK HTTP client answering statuses from a script and recording the requests. */
  private static class ScriptedSdkClient implements HttpClient {
    final List<Integer> statuses;
    final List<HttpRequest> sent = new ArrayList<>();
    final List<String> bodies = new ArrayList<>();

    ScriptedSdkClient(Integer... statuses) {
      this.statuses = new ArrayList<>(List.of(statuses));
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
      sent.add(request);
      if (request.body() != null) {
        var out = new java.io.ByteArrayOutputStream();
        request.body().writeTo(out);
        bodies.add(out.toString(StandardCharsets.UTF_8));
      }
      int status = statuses.remove(0);
      return new HttpResponse() {
        @Override
        public int statusCode() {
          return status;
        }

        @Override
        public Headers headers() {
          return Headers.builder().put("Content-Type", "application/json").build();
        }

        @Override
        public InputStream body() {
          return new ByteArrayInputStream("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
      return CompletableFuture.completedFuture(execute(request, options));
    }

    @Override
    public void close() {}
  }

  /** A body that can be read once, as an upload from an InputStream is. */
  private static final class OneShotBody implements HttpRequestBody {

    @Override
    public void writeTo(OutputStream out) {
      try {
        out.write("upload".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String contentType() {
      return "application/octet-stream";
    }

    @Override
    public long contentLength() {
      return -1;
    }

    @Override
    public boolean repeatable() {
      return false;
    }

    @Override
    public void close() {}
  }

  private final VirtualTime time = new VirtualTime();

  private BridgeHttpClient bridge(HttpClient delegate, Interceptor... beforeRetry) {
    OpenAiPipelineBuilder pipeline = OpenAiPipeline.builder().environment(name -> null).signRequests(false)
        .retryPolicy(OpenAiRetryPolicy.builder(time).build()).transport(new SdkTransport(delegate));
    for (Interceptor step : beforeRetry) {
      pipeline.addInterceptor(step);
    }
    return new BridgeHttpClient(delegate, pipeline.build());
  }

  private static HttpRequest post(HttpRequestBody body) {
    return HttpRequest.builder().method(HttpMethod.POST).baseUrl("http://127.0.0.1:1/v1")
        .addPathSegments("chat", "completions").putQueryParam("api-version", "2024-10-21")
        .putHeader("Authorization", "Bearer k").body(body).build();
  }

  private static HttpRequestBody json(String text) {
    return new HttpRequestBody() {
      @Override
      public void writeTo(OutputStream out) {
        try {
          out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public String contentType() {
        return "application/json";
      }

      @Override
      public long contentLength() {
        return text.length();
      }

      @Override
      public boolean repeatable() {
        return true;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void aRepeatableBodyIsSentAgainOnEachAttemptToTheSameUrl() throws IOException {
    ScriptedSdkClient sdk = new ScriptedSdkClient(503, 200);
    try (HttpResponse response = bridge(sdk).execute(post(json("{\"model\":\"m\"}")), RequestOptions.none())) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
    }
    assertThat(sdk.bodies).containsExactly("{\"model\":\"m\"}", "{\"model\":\"m\"}");
    assertThat(sdk.sent).allSatisfy(request -> {
      assertThat(request.url()).isEqualTo("http://127.0.0.1:1/v1/chat/completions?api-version=2024-10-21");
      assertThat(request.headers().values("Authorization")).containsExactly("Bearer k");
      assertThat(request.body().contentType()).isEqualTo("application/json");
    });
  }

  @Test
  void aOneShotBodyGoesToTheSdkClientOnceUntouched() {
    ScriptedSdkClient sdk = new ScriptedSdkClient(503, 200);
    OneShotBody body = new OneShotBody();
    HttpRequest upload = post(body);

    HttpResponse response = bridge(sdk).execute(upload, RequestOptions.none());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(sdk.sent).containsExactly(upload);
  }

  @Test
  void theSdkClientsBodyIsClosedAfterTheLastAttempt() {
    ScriptedSdkClient sdk = new ScriptedSdkClient(200);
    boolean[] closed = {false};
    HttpRequestBody body = new HttpRequestBody() {
      @Override
      public void writeTo(OutputStream out) {}

      @Override
      public String contentType() {
        return null;
      }

      @Override
      public long contentLength() {
        return 0;
      }

      @Override
      public boolean repeatable() {
        return true;
      }

      @Override
      public void close() {
        closed[0] = true;
      }
    };
    bridge(sdk).execute(post(body), RequestOptions.none()).close();
    assertThat(closed[0]).isTrue();
  }

  @Test
  void aFinalErrorIsHandedBackAsAResponseWithTheOutcomeInHeaders() throws IOException, ExecutionException,
      InterruptedException {
    ScriptedSdkClient sdk = new ScriptedSdkClient(400);
    HttpResponse response = bridge(sdk).executeAsync(post(json("{}")), RequestOptions.none()).get();
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().values("x-backoff4j-gave-up")).containsExactly("NOT_RETRYABLE");
    assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
  }

  @Test
  void onAnSdkWithWebSocketsTheSdkSeesAWebSocketClientThatDelegatesToItsOwnClient() throws InterruptedException {
    CompletableFuture<WebSocketClient.Connection> opened = new CompletableFuture<>();
    class WebSocketCapable extends ScriptedSdkClient implements WebSocketClient {
      WebSocketCapable() {
        super(200);
      }

      @Override
      public CompletableFuture<Connection> connectWebSocket(HttpRequest request, RequestOptions options,
          int maxMessageBytes, Listener listener) {
        return opened;
      }
    }
    HttpRequest request = HttpRequest.builder().method(HttpMethod.GET).baseUrl("ws://127.0.0.1:1/v1").build();
    WebSocketCapable sdk = new WebSocketCapable();
    HttpClient forSdk = bridge(sdk).forSdk();

    assertThat(forSdk).isInstanceOf(WebSocketClient.class);
    assertThat(((WebSocketClient) forSdk).connectWebSocket(request, RequestOptions.none(), 1024, null))
        .isSameAs(opened);
    // HTTP calls still go through the pipeline.
    assertThat(forSdk.execute(post(json("{}")), RequestOptions.none()).statusCode()).isEqualTo(200);
    assertThat(sdk.sent).hasSize(1);
    assertThat(((WebSocketClient) bridge(new ScriptedSdkClient()).forSdk())
        .connectWebSocket(request, RequestOptions.none(), 1024, null)).isCompletedExceptionally();
  }

  @Test
  void aStreamThatArrivesAfterTheCallerCancelledIsClosed() throws InterruptedException {
    AtomicBoolean closed = new AtomicBoolean();
    HttpResponse stream = new HttpResponse() {
      @Override
      public int statusCode() {
        return 200;
      }

      @Override
      public Headers headers() {
        return Headers.builder().put("Content-Type", "text/event-stream").build();
      }

      @Override
      public InputStream body() {
        return new ByteArrayInputStream("data: {}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public void close() {
        closed.set(true);
      }
    };
    HttpClient sdk = new ScriptedSdkClient() {
      @Override
      public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        return CompletableFuture.completedFuture(stream);
      }
    };
    // The caller cancels just as the answer comes back: after the pipeline has it, before the bridge
    // hands it on. A step that ignores cancellation (as user interceptors may) makes that window wide.
    AtomicReference<CompletableFuture<HttpResponse>> call = new AtomicReference<>();
    CompletableFuture<Void> started = new CompletableFuture<>();
    Interceptor cancelOnArrival = new Interceptor() {
      @Override
      public Response intercept(Chain chain) {
        return chain.proceed(chain.request());
      }

      @Override
      public CompletableFuture<Response> interceptAsync(Chain chain) {
        CompletableFuture<Response> deaf = new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
          }
        };
        started.thenCompose(ignored -> chain.proceedAsync(chain.request())).whenComplete((response, failure) -> {
          call.get().cancel(true);
          deaf.complete(response);
        });
        return deaf;
      }
    };
    BridgeHttpClient bridge = bridge(sdk, cancelOnArrival);
    HttpRequest request = post(json("{\"model\":\"m\",\"stream\":true}")).toBuilder()
        .putHeader("Accept", "text/event-stream").build();

    call.set(bridge.executeAsync(request, RequestOptions.none()));
    started.complete(null);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!closed.get() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(call.get()).isCancelled();
    assertThat(closed).as("the SDK's response was released").isTrue();
  }
}
