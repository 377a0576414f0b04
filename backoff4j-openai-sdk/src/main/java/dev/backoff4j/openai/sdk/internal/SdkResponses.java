package dev.backoff4j.openai.sdk.internal;

import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponse;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.retry.RetryHistory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Builds the SDK's responses from the pipeline's outcomes. */
public final class SdkResponses {

  private SdkResponses() {}

  /**
   * A success: a buffered body, or a stream positioned at its start (the first event was read inside
   * the attempt and is replayed), which the SDK reads lazily.
   */
  public static HttpResponse success(Response response) {
    return new Simple(response.status(), SdkHeaders.toSdk(response.headers()), response.body().stream());
  }

  /**
   * The final error response rebuilt from what the pipeline read (status, headers, body bytes), so
   * the SDK raises its own typed exception. The outcome of the retries travels in extra headers.
   */
  public static HttpResponse failure(OpenAiHttpException error) {
    Headers.Builder headers = SdkHeaders.toSdk(error.headers()).toBuilder();
    RetryHistory.of(error).ifPresent(history -> {
      headers.replace(Backoff4jOpenAI.ATTEMPTS_HEADER, Integer.toString(history.attemptCount()));
      headers.replace(Backoff4jOpenAI.GAVE_UP_HEADER, history.reason().name());
      history.rejectedHint().ifPresent(hint ->
          headers.replace(Backoff4jOpenAI.REJECTED_HINT_HEADER, Long.toString(hint.toMillis())));
    });
    return new Simple(error.status(), headers.build(), new ByteArrayInputStream(error.body()));
  }

  /** One body stream, handed out as often as asked (the SDK may call {@code body()} more than once). */
  private record Simple(int statusCode, Headers headers, InputStream body) implements HttpResponse {

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
