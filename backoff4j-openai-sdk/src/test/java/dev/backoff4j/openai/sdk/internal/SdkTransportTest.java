package dev.backoff4j.openai.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import dev.backoff4j.openai.http.Request;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How an SDK call's timeouts meet the attempt's share of the deadline. */
class SdkTransportTest {

  private static final HttpClient UNUSED = new HttpClient() {
    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
      throw new AssertionError("not called");
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
      throw new AssertionError("not called");
    }

    @Override
    public void close() {}
  };

  private static final Request CALL = Request.postJson(URI.create("http://127.0.0.1:1/v1/chat/completions"), new byte[0]);
  private static final Request STREAM = CALL.withStreaming(true);

  private static final SdkTransport TRANSPORT = new SdkTransport(UNUSED);

  /** A call carrying the SDK's per-call options, as the bridge hands it to the pipeline. */
  private static Request with(Request request, RequestOptions options) {
    return request.withTag(RequestOptions.class, options);
  }

  @Test
  void aCallWithoutOptionsGetsTheSdksDefaults() {
    assertThat(TRANSPORT.optionsFor(CALL, Optional.empty()).getTimeout()).isNull();
  }

  private static RequestOptions sdkOptions(Timeout timeout) {
    return RequestOptions.builder().timeout(timeout).responseValidation(true).build();
  }

  @Test
  void everyPartOfACallsTimeoutIsCutToTheAttemptsShare() {
    RequestOptions options = sdkOptions(Timeout.builder()
        .connect(Duration.ofSeconds(10)).request(Duration.ofMinutes(10)).build());

    Timeout timeout = TRANSPORT.optionsFor(with(CALL, options), Optional.of(Duration.ofSeconds(30))).getTimeout();
    assertThat(timeout.connect()).isEqualTo(Duration.ofSeconds(10));
    assertThat(timeout.read()).isEqualTo(Duration.ofSeconds(30));
    assertThat(timeout.write()).isEqualTo(Duration.ofSeconds(30));
    assertThat(timeout.request()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aStreamKeepsTheSdksWholeCallLimitAndTheAttemptBoundsItsSilences() {
    RequestOptions options = sdkOptions(Timeout.builder().request(Duration.ofMinutes(10)).build());

    Timeout timeout = TRANSPORT.optionsFor(with(STREAM, options), Optional.of(Duration.ofSeconds(30))).getTimeout();
    assertThat(timeout.request()).isEqualTo(Duration.ofMinutes(10));
    assertThat(timeout.read()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theSdksZeroMeansNoLimitSoTheAttemptsShareApplies() {
    RequestOptions options = sdkOptions(Timeout.builder().request(Duration.ZERO).build());

    assertThat(TRANSPORT.optionsFor(with(CALL, options), Optional.of(Duration.ofSeconds(5))).getTimeout().request())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void withoutAnAttemptLimitTheCallsOptionsPassUnchanged() {
    RequestOptions options = sdkOptions(Timeout.builder().request(Duration.ofMinutes(1)).build());
    assertThat(TRANSPORT.optionsFor(with(CALL, options), Optional.empty())).isSameAs(options);
  }

  @Test
  void theCallsOtherOptionsAreKept() {
    RequestOptions options = sdkOptions(Timeout.builder().build());
    assertThat(TRANSPORT.optionsFor(with(CALL, options), Optional.of(Duration.ofSeconds(1)))
        .getResponseValidation()).isTrue();
  }

  /** The SDK's client failing every exchange with an I/O exception caused by running out of memory. */
  private static final HttpClient OUT_OF_MEMORY = new HttpClient() {
    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
      throw new com.openai.errors.OpenAIIoException("read failed", new OutOfMemoryError("Java heap space"));
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
      return CompletableFuture.failedFuture(
          new com.openai.errors.OpenAIIoException("read failed", new OutOfMemoryError("Java heap space")));
    }

    @Override
    public void close() {}
  };

  @Test
  void anErrorInsideTheSdksIoFailureComesOutAsItselfNotAsAConnectionFailure() {
    SdkTransport transport = new SdkTransport(OUT_OF_MEMORY);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> transport.execute(CALL, Optional.empty())))
        .isInstanceOf(OutOfMemoryError.class);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(
        () -> transport.executeAsync(CALL, Optional.empty()).join()))
        .isInstanceOf(java.util.concurrent.CompletionException.class).cause().isInstanceOf(OutOfMemoryError.class);
  }
}
