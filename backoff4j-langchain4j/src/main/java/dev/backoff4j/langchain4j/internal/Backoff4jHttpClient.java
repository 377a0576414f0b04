package dev.backoff4j.langchain4j.internal;

import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.OpenAiPipelineBuilder;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.StreamWatch;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * LangChain4j's {@link HttpClient} over one {@link OpenAiPipeline}: every request LangChain4j sends —
 * already signed, with an absolute URL — runs through the pipeline's retry, pacing and attempt steps.
 * What it throws (and what a stream's {@code onError} gets) is always a LangChain4j
 * {@code NonRetriableException}, so the model's own retry loop never repeats what backoff4j gave up
 * on. Thread-safe.
 */
public final class Backoff4jHttpClient implements HttpClient {

  private final OpenAiPipeline pipeline;
  private final Executor streams;

  Backoff4jHttpClient(OpenAiPipeline pipeline, Executor streams) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  /**
   * Builds {@code settings} (made by the public builder, with {@code signRequests(false)}) into a
   * client, adding the steps this integration needs as the last attempt steps.
   *
   * @param attempt the clock and the attempt timeout the pipeline will have, for the end of a
   *     stream's first event
   */
  public static Backoff4jHttpClient create(OpenAiPipelineBuilder settings, StreamWatch attempt) {
    OpenAiPipeline pipeline = settings
        .addAttemptInterceptor(new JsonBodyCheck())
        .addAttemptInterceptor(new WholeFirstEvent(attempt))
        .build();
    return new Backoff4jHttpClient(pipeline, StreamThreads.executor());
  }

  public OpenAiPipeline pipeline() {
    return pipeline;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    Response response;
    try {
      response = pipeline.execute(Requests.toBackoff4j(request, false));
    } catch (RuntimeException e) {
      throw Failures.toLangChain4j(e);
    }
    return SuccessfulHttpResponse.builder()
        .statusCode(response.status())
        .headers(response.headers().toMap())
        .body(response.body().bytes())
        .build();
  }

  /**
   * Returns at once; the call runs on a thread of its own (see {@link StreamCall}) and reports only
   * through {@code listener}, never by throwing here: LangChain4j's streaming models do not catch what
   * this method throws.
   */
  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    try {
      streams.execute(new StreamCall(pipeline, request, parser, listener));
    } catch (RejectedExecutionException | OutOfMemoryError e) {
      try {
        listener.onError(e instanceof OutOfMemoryError ? e : Failures.toLangChain4j(e));
      } catch (RuntimeException ignored) {
        // nothing else can be told
      }
    }
  }

  @Override
  public String toString() {
    return "Backoff4jHttpClient[" + pipeline + "]";
  }
}
