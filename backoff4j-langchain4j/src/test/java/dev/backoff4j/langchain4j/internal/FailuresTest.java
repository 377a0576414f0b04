package dev.backoff4j.langchain4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.backoff4j.langchain4j.Backoff4jAuthenticationException;
import dev.backoff4j.langchain4j.Backoff4jCallException;
import dev.backoff4j.langchain4j.Backoff4jConnectionException;
import dev.backoff4j.langchain4j.Backoff4jFailure;
import dev.backoff4j.langchain4j.Backoff4jInvalidRequestException;
import dev.backoff4j.langchain4j.Backoff4jModelNotFoundException;
import dev.backoff4j.langchain4j.Backoff4jRateLimitException;
import dev.backoff4j.langchain4j.Backoff4jServerException;
import dev.backoff4j.langchain4j.Backoff4jStreamInterruptedException;
import dev.backoff4j.langchain4j.Backoff4jTimeoutException;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.spi.ErrorResponses;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.retry.RetryInterruptedException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.internal.ExceptionMapper;
import dev.langchain4j.internal.RetryUtils;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What backoff4j's exceptions become, checked against LangChain4j's own {@code ExceptionMapper} and
 * retry loop (langchain4j-core 1.19.0): each one comes out unchanged, after one call.
 */
class FailuresTest {

  private static OpenAiHttpException http(int status, String body) {
    return OpenAiClassifier.toException(ErrorResponses.read(status, Headers.empty(),
        body.getBytes(StandardCharsets.UTF_8), Instant.now(), List.of()));
  }

  private static OpenAiHttpException http(int status) {
    return http(status, "{\"error\": {\"message\": \"no\", \"type\": \"t\", \"code\": \"c\"}}");
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(http(401), Backoff4jAuthenticationException.class),
        Arguments.of(http(403), Backoff4jAuthenticationException.class),
        Arguments.of(http(404), Backoff4jModelNotFoundException.class),
        Arguments.of(http(408), Backoff4jTimeoutException.class),
        Arguments.of(http(400), Backoff4jInvalidRequestException.class),
        Arguments.of(http(409), Backoff4jInvalidRequestException.class),
        Arguments.of(http(422), Backoff4jInvalidRequestException.class),
        Arguments.of(http(429), Backoff4jRateLimitException.class),
        Arguments.of(http(429, "{\"error\": {\"type\": \"insufficient_quota\"}}"), Backoff4jRateLimitException.class),
        Arguments.of(http(500), Backoff4jServerException.class),
        Arguments.of(http(503), Backoff4jServerException.class),
        Arguments.of(http(302), Backoff4jCallException.class),
        Arguments.of(new OpenAiTimeoutException(Duration.ofSeconds(1), null), Backoff4jTimeoutException.class),
        Arguments.of(new OpenAiConnectionException("reset", new IOException("reset")),
            Backoff4jConnectionException.class),
        Arguments.of(new OpenAiConnectionException("unresolved", new ConnectException("x") {
          { initCause(new UnresolvedAddressException()); }
        }), Backoff4jConnectionException.class),
        Arguments.of(new StreamInterruptedException(List.of("{}"), "Hel", new OpenAiConnectionException("cut", null)),
            Backoff4jStreamInterruptedException.class),
        Arguments.of(new RetryInterruptedException(
            new RetryHistory(List.of(), Duration.ZERO, Duration.ZERO, GiveUpReason.INTERRUPTED, null), http(503)), Backoff4jCallException.class),
        Arguments.of(new IllegalStateException("an interceptor's bug", new HttpException(429, "{}")),
            Backoff4jCallException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void langChain4jsMapperKeepsEachOneAndItsRetryLoopCallsOnce(RuntimeException failure, Class<?> expected) {
    RuntimeException mapped = Failures.toLangChain4j(failure);

    assertThat(mapped).isInstanceOf(expected).isInstanceOf(NonRetriableException.class)
        .isInstanceOf(Backoff4jFailure.class);
    assertThat(((Backoff4jFailure) mapped).lastFailure()).isSameAs(failure);
    assertThat(ExceptionMapper.DEFAULT.mapException(mapped)).isSameAs(mapped);

    AtomicInteger calls = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> RetryUtils.withRetryMappingExceptions(() -> {
      calls.incrementAndGet();
      throw mapped;
    }, 2));
    assertThat(thrown).isSameAs(mapped);
    assertThat(calls).hasValue(1);
  }

  @Test
  void theStatusesLangChain4jTreatsAsNonRetriableKeepLangChain4jsTypes() {
    assertThat(Failures.toLangChain4j(http(401))).isInstanceOf(AuthenticationException.class);
    assertThat(Failures.toLangChain4j(http(404))).isInstanceOf(ModelNotFoundException.class);
    assertThat(Failures.toLangChain4j(http(400))).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aFailureWhoseRootLangChain4jWouldRebuildIsSuppressedNotTheCause() {
    IllegalStateException failure = new IllegalStateException("x", new HttpException(429, "{}"));

    RuntimeException mapped = Failures.toLangChain4j(failure);

    assertThat(mapped.getCause()).isNull();
    assertThat(mapped.getSuppressed()).containsExactly(failure);
  }

  @Test
  void anyOtherFailureIsTheCauseSoStackTracesShowIt() {
    OpenAiConnectionException failure = new OpenAiConnectionException("reset", new IOException("reset"));
    assertThat(Failures.toLangChain4j(failure).getCause()).isSameAs(failure);
  }

  @Test
  void anExceptionAlreadyMappedIsPassedOn() {
    RuntimeException mapped = Failures.toLangChain4j(http(429));
    assertThat(Failures.toLangChain4j(new java.util.concurrent.CompletionException(mapped))).isSameAs(mapped);
  }
}
