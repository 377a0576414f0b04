package dev.backoff4j.openai.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.testkit.VirtualTime;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** An Error (out of memory, stack overflow) ends the call as itself: never retried, never a connection failure. */
class ErrorsAreNeverRetriedTest {

  private static final ChatRequest HI = ChatRequest.of("gpt-4o-mini", ChatMessage.user("hi"));

  private final VirtualTime time = new VirtualTime();

  /** An HttpClient whose every exchange fails as java.net.http reports an Error in a body subscriber. */
  private static final class FailingHttpClient extends HttpClient {
    final AtomicInteger sends = new AtomicInteger();

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      sends.incrementAndGet();
      return CompletableFuture.failedFuture(new IOException("body failed", new OutOfMemoryError("Java heap space")));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
        HttpResponse.PushPromiseHandler<T> push) {
      return sendAsync(request, handler);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      return null;
    }

    @Override
    public SSLParameters sslParameters() {
      return null;
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }
  }

  @Test
  void anErrorJavaNetHttpWrapsInAnIOExceptionComesOutAsItselfAfterOneAttempt() {
    FailingHttpClient http = new FailingHttpClient();
    OpenAiClient client = TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time))
        .transport(new JdkHttpTransport(http)).build();

    assertThat(catchThrowable(() -> client.chat().create(HI))).isInstanceOf(OutOfMemoryError.class);
    assertThat(catchThrowable(() -> TestSupport.await(client.chat().createAsync(HI), time)))
        .isInstanceOf(java.util.concurrent.ExecutionException.class).cause().isInstanceOf(OutOfMemoryError.class);
    assertThat(http.sends).hasValue(2); // one attempt each
  }

  @Test
  void anErrorWhileTheResponseCheckReadsABodyIsNotRetried() {
    AtomicInteger exchanges = new AtomicInteger();
    Transport transport = new Transport() {
      @Override
      public Response execute(Request request, Optional<Duration> timeout) {
        exchanges.incrementAndGet();
        InputStream failing = new InputStream() {
          @Override
          public int read() {
            throw new StackOverflowError();
          }
        };
        return new Response(request, 200, Headers.empty(), ResponseBody.of(failing));
      }

      @Override
      public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
        return CompletableFuture.completedFuture(execute(request, timeout));
      }
    };
    OpenAiClient client = TestSupport.client("http://127.0.0.1:9/v1", TestSupport.preset(time))
        .transport(transport).build();

    assertThat(catchThrowable(() -> client.chat().create(HI))).isInstanceOf(StackOverflowError.class);
    assertThat(catchThrowable(() -> client.chat().stream(HI))).isInstanceOf(StackOverflowError.class);
    assertThat(exchanges).hasValue(2);
  }
}
