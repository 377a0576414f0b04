package dev.backoff4j.openai.classify;

import dev.backoff4j.openai.errors.ApiError;
import dev.backoff4j.openai.errors.AuthenticationException;
import dev.backoff4j.openai.errors.BadRequestException;
import dev.backoff4j.openai.errors.ConflictException;
import dev.backoff4j.openai.errors.NotFoundException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.errors.PermissionDeniedException;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.errors.RateLimitException;
import dev.backoff4j.openai.errors.ServerErrorException;
import dev.backoff4j.openai.errors.UnprocessableEntityException;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import dev.backoff4j.retry.AttemptTimeoutException;
import dev.backoff4j.retry.RetryClassifier;
import dev.backoff4j.retry.Verdict;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * OpenAI's error semantics in one place: which failures are worth another attempt, and which typed
 * exception each error response becomes. Read top to bottom:
 *
 * <table>
 *   <caption>Decisions, first match wins</caption>
 *   <tr><th>Outcome</th><th>Verdict</th></tr>
 *   <tr><td>2xx response</td><td>success</td></tr>
 *   <tr><td>429 whose error {@code type} or {@code code} is a {@linkplain #QUOTA_CODES quota code}</td>
 *       <td>stop: a quota does not come back in seconds (the official SDKs retry it)</td></tr>
 *   <tr><td>{@code x-should-retry: true} / {@code false}</td><td>retry / stop, whatever the status</td></tr>
 *   <tr><td>429 (rate limit, or no body)</td><td>retry as a rate limit: a wait until the deadline, not
 *       an attempt (see below)</td></tr>
 *   <tr><td>408, 409, 500 and every other 5xx</td><td>retry</td></tr>
 *   <tr><td>400, 401, 403, 404, 422 and every other status</td><td>stop</td></tr>
 *   <tr><td>an {@link Error} (out of memory, stack overflow), or any failure caused by one</td>
 *       <td>stop: another attempt would meet the same state of the JVM</td></tr>
 *   <tr><td>connection refused or reset, body cut short, timeout</td><td>retry</td></tr>
 *   <tr><td>malformed 200, stream interrupted after its first event, anything else</td><td>stop</td></tr>
 * </table>
 *
 * <p>A 429 rate limit is retried as {@link Verdict#rateLimited}: a wait, not an attempt used up. It
 * does not count against {@code maxAttempts} (the deadline bounds it — with the preset's 10 minutes,
 * or {@code maxRateLimitRetries} when set; a policy with neither counts it as an attempt), does not
 * spend the retry budget (which protects a failing server, not a healthy one asking us to slow
 * down), and waits at least the server's hint; each further 429 of the same call waits the hint plus
 * a jittered exponential backoff (the policy's, capped at {@code maxDelay}), so callers meeting a full
 * bucket together spread out. A quota 429 stays final.
 *
 * <p>For the outage gate, an outcome is a transient failure of the endpoint when it is a 5xx, a
 * connection failure or an attempt that timed out (ten in a row close the gate); any other answer
 * (2xx, 4xx, 429) shows the endpoint up and resets the run; waits of the client's own (pacing, the
 * gate) and cancellations count for nothing. See {@link dev.backoff4j.openai.gate.OutageGate}.
 *
 * <p>A retry waits the server's hint when it gave one (see {@link dev.backoff4j.openai.spi.ErrorResponses} for the order:
 * {@code retry-after-ms}, {@code x-ms-retry-after-ms}, {@code Retry-After} seconds or date, the
 * message's "try again in 1.5s"), else the policy's backoff. A hint the policy finds too long
 * ({@code maxServerDelay}) or that would pass the deadline ends the execution at once, the hint
 * recorded in the {@link dev.backoff4j.retry.RetryHistory}.
 *
 * <p>Stateless; {@link #INSTANCE} is shared.
 */
public final class OpenAiClassifier implements RetryClassifier<Object> {

  public static final OpenAiClassifier INSTANCE = new OpenAiClassifier();

  /** 429 {@code type}s or {@code code}s meaning money or quota has run out, not a per-minute limit. */
  public static final Set<String> QUOTA_CODES = Set.of(
      "insufficient_quota",
      "credit_balance_exhausted",
      "organization_spend_limit_exceeded",
      "project_spend_limit_exceeded",
      "organization_usage_limit_exceeded");

  private OpenAiClassifier() {}

  @Override
  public Verdict classify(Object result, Throwable failure) {
    if (failure == null) {
      return Verdict.SUCCESS; // the attempt step turns every non-2xx into an exception
    }
    if (isCausedByError(failure)) {
      return Verdict.stop(failure.getClass().getSimpleName());
    }
    if (failure instanceof OpenAiHttpException http) {
      return classify(http.error());
    }
    if (failure instanceof OpenAiConnectionException
        || failure instanceof OpenAiTimeoutException
        || failure instanceof AttemptTimeoutException
        || failure instanceof IOException) {
      return Verdict.RETRY;
    }
    return Verdict.stop(failure.getClass().getSimpleName());
  }

  /** The decision for one error response. */
  public static Verdict classify(ApiError error) {
    if (isQuotaExhausted(error)) {
      return Verdict.stop(error.codeOrType());
    }
    Optional<Boolean> override = shouldRetryHeader(error);
    boolean retry = override.orElseGet(() -> isRetryableStatus(error.status()));
    if (!retry) {
      return Verdict.stop(override.isPresent() ? "x-should-retry: false" : error.summary());
    }
    if (error.status() == 429) {
      // A rate limit, not a failure: its retries do not spend the retry budget (see Verdict.rateLimited).
      return error.hint().map(hint -> Verdict.rateLimited(hint.delay(), hint.source()))
          .orElseGet(() -> Verdict.rateLimited(null, "429"));
    }
    return error.hint().map(hint -> Verdict.retryAfter(hint.delay(), hint.source())).orElse(Verdict.RETRY);
  }

  /**
   * Whether {@code failure} is an {@link Error} or was caused by one (a transport that wrapped an
   * {@code OutOfMemoryError} in an {@code IOException}, say): never retried.
   */
  public static boolean isCausedByError(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof Error) {
        return true;
      }
    }
    return false;
  }

  /** 408, 409, 429 and 5xx: statuses another attempt may fix. */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /** A 429 whose error type or code is one of {@link #QUOTA_CODES}. */
  public static boolean isQuotaExhausted(ApiError error) {
    return error.status() == 429 && (isQuotaCode(error.type()) || isQuotaCode(error.code()));
  }

  /** The typed exception for an error response. */
  public static OpenAiHttpException toException(ApiError error) {
    return switch (error.status()) {
      case 400 -> new BadRequestException(error);
      case 401 -> new AuthenticationException(error);
      case 403 -> new PermissionDeniedException(error);
      case 404 -> new NotFoundException(error);
      case 409 -> new ConflictException(error);
      case 422 -> new UnprocessableEntityException(error);
      case 429 -> isQuotaExhausted(error) ? new QuotaExceededException(error) : new RateLimitException(error);
      default -> error.status() >= 500 ? new ServerErrorException(error) : new OpenAiHttpException(error);
    };
  }

  private static Optional<Boolean> shouldRetryHeader(ApiError error) {
    return error.headers().first(RateLimitHeaders.SHOULD_RETRY)
        .map(value -> value.toLowerCase(Locale.ROOT))
        .filter(value -> value.equals("true") || value.equals("false"))
        .map(Boolean::valueOf);
  }

  private static boolean isQuotaCode(String value) {
    return value != null && QUOTA_CODES.contains(value.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "OpenAiClassifier";
  }
}
