package dev.backoff4j.openai.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.errors.ApiError;
import dev.backoff4j.openai.spi.ErrorResponses;
import dev.backoff4j.openai.errors.AuthenticationException;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.errors.RateLimitException;
import dev.backoff4j.openai.errors.ServerErrorException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.retry.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The classification table, without HTTP; {@code ClassificationOverHttpTest} checks it end to end. */
class OpenAiClassifierTest {

  private static ApiError error(int status, Map<String, String> headers, String body) {
    Map<String, List<String>> multi = new java.util.HashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return ErrorResponses.read(status, Headers.of(multi), body.getBytes(StandardCharsets.UTF_8),
        Instant.parse("2026-01-01T00:00:00Z"), List.of());
  }

  private static String body(String type, String code, String message) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
        + (code == null ? "null" : "\"" + code + "\"") + "}}";
  }

  private static Verdict.Kind verdict(int status, Map<String, String> headers, String body) {
    return OpenAiClassifier.classify(error(status, headers, body)).kind();
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504, 520, 599})
  void retryableStatusesRetry(int status) {
    assertThat(verdict(status, Map.of(), "")).isEqualTo(Verdict.Kind.RETRY);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 422, 418})
  void clientErrorsStop(int status) {
    assertThat(verdict(status, Map.of(), body("invalid_request_error", null, "bad"))).isEqualTo(Verdict.Kind.STOP);
  }

  @Test
  void rateLimitExceededRetries() {
    assertThat(verdict(429, Map.of(), body("requests", "rate_limit_exceeded", "slow down"))).isEqualTo(Verdict.Kind.RETRY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"insufficient_quota", "credit_balance_exhausted", "organization_spend_limit_exceeded",
      "project_spend_limit_exceeded", "organization_usage_limit_exceeded"})
  void quotaCodesStopWhetherInTypeOrCode(String quota) {
    assertThat(verdict(429, Map.of(), body(quota, null, "no money"))).isEqualTo(Verdict.Kind.STOP);
    assertThat(verdict(429, Map.of(), body("requests", quota, "no money"))).isEqualTo(Verdict.Kind.STOP);
    assertThat(OpenAiClassifier.toException(error(429, Map.of(), body("requests", quota, "x"))))
        .isInstanceOf(QuotaExceededException.class)
        .isNotInstanceOf(RateLimitException.class);
  }

  @Test
  void quotaStopsEvenWhenTheServerSaysRetry() {
    assertThat(verdict(429, Map.of("x-should-retry", "true"), body("insufficient_quota", "insufficient_quota", "x")))
        .isEqualTo(Verdict.Kind.STOP);
  }

  @Test
  void shouldRetryHeaderOverridesTheStatus() {
    assertThat(verdict(500, Map.of("x-should-retry", "false"), "")).isEqualTo(Verdict.Kind.STOP);
    assertThat(verdict(400, Map.of("x-should-retry", "true"), "")).isEqualTo(Verdict.Kind.RETRY);
    assertThat(verdict(500, Map.of("x-should-retry", "maybe"), "")).isEqualTo(Verdict.Kind.RETRY);
  }

  @Test
  void retryCarriesTheServerHint() {
    Verdict verdict = OpenAiClassifier.classify(error(429, Map.of("retry-after-ms", "1030"), ""));
    assertThat(verdict.hint()).contains(Duration.ofMillis(1030));
    assertThat(verdict.hintSource()).contains("retry-after-ms");
  }

  @Test
  void networkFailuresRetryAndMalformedOrInterruptedStop() {
    OpenAiClassifier classifier = OpenAiClassifier.INSTANCE;
    assertThat(classifier.classify(null, new OpenAiConnectionException("reset", null)).kind()).isEqualTo(Verdict.Kind.RETRY);
    assertThat(classifier.classify(null, new OpenAiTimeoutException(Duration.ofSeconds(1), null)).kind())
        .isEqualTo(Verdict.Kind.RETRY);
    assertThat(classifier.classify(null, new MalformedResponseException("not JSON", 200, null, "<html>", null)).kind())
        .isEqualTo(Verdict.Kind.STOP);
    assertThat(classifier.classify(null, new StreamInterruptedException(List.of("{}"), "", null)).kind())
        .isEqualTo(Verdict.Kind.STOP);
    assertThat(classifier.classify(null, new IllegalStateException("bug")).kind()).isEqualTo(Verdict.Kind.STOP);
    assertThat(classifier.classify("anything", null)).isEqualTo(Verdict.SUCCESS);
  }

  @Test
  void statusesMapToTypedExceptions() {
    assertThat(OpenAiClassifier.toException(error(401, Map.of(), ""))).isInstanceOf(AuthenticationException.class);
    assertThat(OpenAiClassifier.toException(error(429, Map.of(), ""))).isInstanceOf(RateLimitException.class);
    assertThat(OpenAiClassifier.toException(error(503, Map.of(), ""))).isInstanceOf(ServerErrorException.class);
    assertThat(OpenAiClassifier.toException(error(408, Map.of(), ""))).isExactlyInstanceOf(OpenAiHttpException.class);
  }

  @Test
  void messageIsOneLineWithStatusCodeAndRequestId() {
    OpenAiHttpException e = OpenAiClassifier.toException(error(429, Map.of("x-request-id", "req_abc"),
        body("requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o.\\nPlease try again in 1s.")));
    assertThat(e.getMessage())
        .isEqualTo("429 rate_limit_exceeded (req_abc): Rate limit reached for gpt-4o. Please try again in 1s.");
    assertThat(e).hasToString(e.getMessage());
    assertThat(e.summary()).isEqualTo("429 rate_limit_exceeded (req_abc)");
    assertThat(e.requestId()).contains("req_abc");
    assertThat(e.type()).contains("requests");
    assertThat(e.hint()).isPresent();
  }

  @Test
  void oddBodiesStillGiveAnError() {
    assertThat(error(502, Map.of(), "<html>Bad gateway</html>").message()).isEqualTo("<html>Bad gateway</html>");
    assertThat(error(500, Map.of(), "{\"error\":\"boom\"}").message()).isEqualTo("boom");
    assertThat(error(429, Map.of(), "{\"error\":{\"code\":429,\"message\":\"Azure says wait\"}}").code()).isEqualTo("429");
    assertThat(error(500, Map.of(), "").summary()).isEqualTo("500");
    assertThat(error(500, Map.of(), "[1,2]").message()).isNull();
  }

  @Test
  void echoedKeysAreMasked() {
    ApiError error = ErrorResponses.read(401, Headers.empty(),
        body("invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-proj-abcdef123456.").getBytes(
            StandardCharsets.UTF_8), Instant.now(), List.of("sk-proj-abcdef123456"));
    assertThat(error.message()).doesNotContain("abcdef123456").contains("***");
  }

  @Test
  void errorsAndFailuresCausedByThemAreNeverRetried() {
    for (Throwable failure : List.of(new OutOfMemoryError(), new StackOverflowError(),
        new IOException("read failed", new OutOfMemoryError()),
        new OpenAiConnectionException("connection failed", new OutOfMemoryError()),
        new CompletionException(new InternalError()))) {
      assertThat(OpenAiClassifier.INSTANCE.classify(null, failure).kind()).as("%s", failure)
          .isEqualTo(Verdict.Kind.STOP);
    }
    assertThat(OpenAiClassifier.INSTANCE.classify(null, new IOException("reset")).kind()).isEqualTo(Verdict.Kind.RETRY);
  }
}
