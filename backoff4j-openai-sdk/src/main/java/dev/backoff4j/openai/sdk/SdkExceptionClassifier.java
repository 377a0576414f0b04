package dev.backoff4j.openai.sdk;

import dev.backoff4j.spi.Futures;
import com.openai.core.ObjectMappers;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import dev.backoff4j.openai.spi.ErrorResponses;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.ApiError;
import dev.backoff4j.openai.sdk.internal.SdkHeaders;
import dev.backoff4j.retry.RetryClassifier;
import dev.backoff4j.retry.Verdict;
import dev.backoff4j.time.TimeSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Classifies the official SDK's exceptions with backoff4j's OpenAI table ({@link OpenAiClassifier}),
 * for code that wraps SDK calls itself:
 *
 * <pre>{@code
 * RetryPolicy<Object> policy = Backoff4jOpenAI.retryPolicy();   // preset + this classifier
 * ChatCompletion reply = policy.get(() -> client.chat().completions().create(params));
 * }</pre>
 *
 * <table>
 *   <caption>Decisions</caption>
 *   <tr><th>Failure</th><th>Verdict</th></tr>
 *   <tr><td>{@code OpenAIServiceException} (RateLimitException, InternalServerException, ...)</td>
 *       <td>the table on its status, {@code type}/{@code code} and headers: a 429
 *       {@code insufficient_quota} stops, a 429/5xx retries after the server's hint
 *       ({@code retry-after-ms}, {@code Retry-After} seconds or date, "try again in 1.5s"),
 *       {@code x-should-retry} overrides, 400/401/403/404/422 stop</td></tr>
 *   <tr><td>an {@link Error}, or any failure caused by one</td><td>stop</td></tr>
 *   <tr><td>{@code SseException} (an error event inside a stream)</td><td>stop: text may have arrived</td></tr>
 *   <tr><td>{@code OpenAIIoException}, {@code OpenAIRetryableException}</td><td>retry</td></tr>
 *   <tr><td>{@code OpenAIInvalidDataException} (a malformed response)</td><td>stop</td></tr>
 *   <tr><td>anything else</td><td>as {@link OpenAiClassifier} (backoff4j's own exceptions, IOException)</td></tr>
 * </table>
 *
 * {@code CompletionException} and {@code ExecutionException} are unwrapped first. A successful result
 * is a success. Stateless and thread-safe.
 */
public final class SdkExceptionClassifier implements RetryClassifier<Object> {

  /** On the system clock. */
  public static final SdkExceptionClassifier INSTANCE = new SdkExceptionClassifier(TimeSource.system());

  private final TimeSource time;

  private SdkExceptionClassifier(TimeSource time) {
    this.time = Objects.requireNonNull(time, "time");
  }

  /** A classifier reading {@code Retry-After} dates against {@code time}. */
  public static SdkExceptionClassifier using(TimeSource time) {
    return new SdkExceptionClassifier(time);
  }

  @Override
  public Verdict classify(Object result, Throwable failure) {
    if (failure == null) {
      return Verdict.SUCCESS;
    }
    Throwable cause = Futures.unwrap(failure);
    if (OpenAiClassifier.isCausedByError(cause)) {
      return Verdict.stop(cause.getClass().getSimpleName()); // out of memory is not a network failure
    }
    if (cause instanceof SseException) {
      return Verdict.stop("error event in stream");
    }
    if (cause instanceof OpenAIServiceException service) {
      return OpenAiClassifier.classify(toApiError(service));
    }
    if (cause instanceof OpenAIIoException || cause instanceof OpenAIRetryableException) {
      return Verdict.RETRY;
    }
    if (cause instanceof OpenAIInvalidDataException) {
      return Verdict.stop("malformed response");
    }
    return OpenAiClassifier.INSTANCE.classify(result, cause);
  }

  /**
   * What backoff4j reads from an error response, rebuilt from the SDK's exception and read the way
   * the lean client reads one ({@link ErrorResponses#read}: the same fields, hints and key masking).
   */
  ApiError toApiError(OpenAIServiceException e) {
    return ErrorResponses.read(e.statusCode(), SdkHeaders.fromSdk(e.headers()), body(e), time.now(), List.of());
  }

  /** The error body as the server sent it, as near as the SDK keeps it ({@code {"error": ...}}). */
  private static byte[] body(OpenAIServiceException e) {
    try {
      return ObjectMappers.jsonMapper().writeValueAsBytes(Map.of("error", e.body()));
    } catch (Exception unserializable) {
      return new byte[0];
    }
  }

  @Override
  public String toString() {
    return "SdkExceptionClassifier";
  }
}
