package dev.backoff4j.openai.http;

import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.spi.Futures;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Steps an application writes once and gets on both the blocking and the non-blocking path. Add them
 * with {@link dev.backoff4j.openai.OpenAiPipelineBuilder#addInterceptor} (each call once, before the retries) or
 * {@link dev.backoff4j.openai.OpenAiPipelineBuilder#addAttemptInterceptor} (every attempt).
 *
 * <pre>{@code
 * OpenAiClient client = OpenAiClient.builder()
 *     .addInterceptor(Interceptors.mapRequest(r -> r.withHeader("x-team", "search")))
 *     .addAttemptInterceptor(Interceptors.observe(e -> log.info("{} -> {} in {}", e.request(),
 *         e.response().map(Response::status).orElse(-1), e.elapsed())))
 *     .build();
 * }</pre>
 */
public final class Interceptors {

  private Interceptors() {}

  /**
   * A step that replaces each request with {@code mapper}'s result (a header added, a URL rewritten).
   * A mapper that throws fails the call with what it threw; one that returns {@code null} fails it with
   * a {@link NullPointerException}.
   */
  public static Interceptor mapRequest(UnaryOperator<Request> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return new Interceptor() {
      @Override
      public Response intercept(Chain chain) {
        return chain.proceed(map(chain.request()));
      }

      @Override
      public CompletableFuture<Response> interceptAsync(Chain chain) {
        return chain.proceedAsync(map(chain.request()));
      }

      private Request map(Request request) {
        return Objects.requireNonNull(mapper.apply(request), "the request mapper returned null");
      }

      @Override
      public String toString() {
        return "Interceptors.mapRequest(" + mapper + ")";
      }
    };
  }

  /**
   * A step that shows {@code observer} every outcome of the rest of the pipeline, without changing it:
   * whatever the observer throws is ignored. Cancelling the call still cancels the exchange.
   */
  public static Interceptor observe(Consumer<? super Exchange> observer) {
    Objects.requireNonNull(observer, "observer");
    return new Interceptor() {
      @Override
      public Response intercept(Chain chain) {
        long start = System.nanoTime();
        Response response;
        try {
          response = chain.proceed(chain.request());
        } catch (RuntimeException | Error failure) {
          tell(chain.request(), null, failure, start);
          throw failure;
        }
        tell(chain.request(), response, null, start);
        return response;
      }

      @Override
      public CompletableFuture<Response> interceptAsync(Chain chain) {
        long start = System.nanoTime();
        CompletableFuture<Response> exchange = chain.proceedAsync(chain.request());
        CompletableFuture<Response> observed = exchange.whenComplete(
            (response, failure) -> tell(chain.request(), response, Futures.unwrap(failure), start));
        return Futures.propagateCancel(observed, exchange);
      }

      private void tell(Request request, Response response, Throwable failure, long start) {
        try {
          observer.accept(new Exchange(request, Optional.ofNullable(failure == null ? response : null),
              Optional.ofNullable(failure), Duration.ofNanos(System.nanoTime() - start)));
        } catch (RuntimeException ignored) {
          // observing must never change the outcome
        }
      }

      @Override
      public String toString() {
        return "Interceptors.observe(" + observer + ")";
      }
    };
  }
}
