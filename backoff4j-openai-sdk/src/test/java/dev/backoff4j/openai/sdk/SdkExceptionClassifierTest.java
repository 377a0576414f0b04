package dev.backoff4j.openai.sdk;

import static dev.backoff4j.openai.sdk.Clients.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.Verdict;
import dev.backoff4j.testkit.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real SDK exceptions, raised by a plain SDK client (no retries) from the mock's scripted faults. */
class SdkExceptionClassifierTest {

  @RegisterExtension
  final MockServerExtension mockServer = new MockServerExtension();

  private final VirtualTime time = new VirtualTime(Instant.now());
  private final SdkExceptionClassifier classifier = SdkExceptionClassifier.using(time);
  private OpenAIClient client;

  @BeforeEach
  void plainClientWithoutRetries() {
    client = OpenAIOkHttpClient.builder().baseUrl(mockServer.baseUrl()).apiKey(Clients.KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private Throwable failureFor(String fault) {
    mockServer.server().scenario(Scenario.builder().script(fault).build());
    return catchThrowable(() -> client.chat().completions().create(chat("x")));
  }

  private Verdict verdictFor(String fault) {
    return classifier.classify(null, failureFor(fault));
  }

  @Test
  void anEchoedKeyIsMaskedAsTheLeanClientMasksIt() {
    com.openai.errors.RateLimitException e = com.openai.errors.RateLimitException.builder()
        .headers(com.openai.core.http.Headers.builder().put("x-request-id", "req_1").build())
        .error(com.openai.models.ErrorObject.builder().message("key sk-proj-abcdef123456 is over its limit")
            .type("requests").code("rate_limit_exceeded").param((String) null).build())
        .build();

    dev.backoff4j.openai.errors.ApiError error = classifier.toApiError(e);

    assertThat(error.message()).isEqualTo("key sk-*** is over its limit");
    assertThat(error.code()).isEqualTo("rate_limit_exceeded");
    assertThat(error.requestId()).isEqualTo("req_1");
  }

  @Test
  void insufficientQuotaStops() {
    assertThat(verdictFor("quota").kind()).isEqualTo(Verdict.Kind.STOP);
    assertThat(verdictFor("quota").reason()).contains("insufficient_quota");
  }

  @Test
  void aRateLimitIsRetriedAfterTheServersHint() {
    Verdict verdict = verdictFor("hint-ms:1500");
    assertThat(verdict.kind()).isEqualTo(Verdict.Kind.RETRY);
    assertThat(verdict.hint()).contains(Duration.ofMillis(1500));
    assertThat(verdict.hintSource()).contains("retry-after-ms");
    assertThat(verdictFor("hint-s:3").hint()).contains(Duration.ofSeconds(3));
  }

  @Test
  void serverErrorsAreRetriedAndClientErrorsStop() {
    assertThat(verdictFor("503").kind()).isEqualTo(Verdict.Kind.RETRY);
    assertThat(verdictFor("html502").kind()).isEqualTo(Verdict.Kind.RETRY);
    assertThat(verdictFor("400").kind()).isEqualTo(Verdict.Kind.STOP);
    assertThat(verdictFor("401").kind()).isEqualTo(Verdict.Kind.STOP);
  }

  @Test
  void xShouldRetryOverridesTheStatus() {
    assertThat(verdictFor("noretry:503").kind()).isEqualTo(Verdict.Kind.STOP);
    assertThat(verdictFor("retry:400").kind()).isEqualTo(Verdict.Kind.RETRY);
  }

  @Test
  void aNetworkFailureIsRetried() {
    Throwable reset = failureFor("reset");
    assertThat(reset).isInstanceOf(com.openai.errors.OpenAIIoException.class);
    assertThat(classifier.classify(null, reset).kind()).isEqualTo(Verdict.Kind.RETRY);
  }

  @Test
  void completionExceptionsAreUnwrapped() {
    Throwable quota = failureFor("quota");
    assertThat(classifier.classify(null, new CompletionException(quota)).kind()).isEqualTo(Verdict.Kind.STOP);
    assertThat(classifier.classify("result", null)).isEqualTo(Verdict.SUCCESS);
  }

  @Test
  void wrappingCallsWithThePresetRetriesWhatComesBackAndStopsAtQuota() {
    RetryPolicy<Object> policy = Backoff4jOpenAI.retryPolicyBuilder(time).build();
    MockServer mock = mockServer.server();

    mock.scenario(Scenario.builder().reply("fine").script("503,hint-ms:100,200").build());
    assertThat(Clients.text(policy.get(() -> client.chat().completions().create(chat("x"))))).isEqualTo("fine");
    assertThat(mock.stats().totalRequests()).isEqualTo(3);
    assertThat(time.sleeps()).hasSize(2).last().isEqualTo(Duration.ofMillis(100));

    mock.reset();
    mock.scenario(Scenario.builder().script("quota,quota").build());
    catchThrowableOfType(RateLimitException.class, () -> policy.get(() -> client.chat().completions().create(chat("x"))));
    assertThat(mock.stats().totalRequests()).isEqualTo(1);
  }

  @Test
  void anIoFailureCausedByAnErrorIsNotRetried() {
    Verdict verdict = SdkExceptionClassifier.INSTANCE.classify(null,
        new com.openai.errors.OpenAIIoException("read failed", new OutOfMemoryError()));
    assertThat(verdict.kind()).isEqualTo(Verdict.Kind.STOP);
    assertThat(SdkExceptionClassifier.INSTANCE.classify(null, new com.openai.errors.OpenAIIoException("reset")).kind())
        .isEqualTo(Verdict.Kind.RETRY);
  }
}
