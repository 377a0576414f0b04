package dev.backoff4j.openai.fallback;

import dev.backoff4j.spi.Futures;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.chat.ChatCompletion;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.gate.OutageGateClosedException;
import dev.backoff4j.openai.embeddings.EmbeddingRequest;
import dev.backoff4j.openai.embeddings.EmbeddingResponse;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.QuotaExceededException;
import dev.backoff4j.openai.errors.StreamInterruptedException;
import dev.backoff4j.retry.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * An ordered list of places to send a request: the primary, then fallbacks (another model, another
 * endpoint, or both), each tried only when the one before it is exhausted or overloaded. Opt-in.
 *
 * <pre>{@code
 * Fallbacks fallbacks = Fallbacks.builder(client)
 *     .thenModel("gpt-4o-mini")          // same endpoint and key, a smaller model
 *     .then(azureClient)                  // another endpoint, the request's model
 *     .build();
 * Served<ChatCompletion> reply = fallbacks.chat(request);
 * reply.servedBy();                       // #0 https://api.openai.com/v1, or the fallback that answered
 * }</pre>
 *
 * <p>A route is left for the next one when its client gave up (its own retries, retry budget or
 * deadline ran out) on a failure that another route may not have: see {@link #fallsThrough}. A request
 * the server refused as such (400, 401, 403, 404, 422, a malformed answer) fails at once, since every
 * route would refuse it too, or it is a bug to fix rather than to hide. When every route fails, the
 * last route's failure is thrown, with the earlier ones attached as suppressed exceptions.
 *
 * <p>A client waits out what it can within its deadline — rate limits, an outage at its gate — so with
 * the preset a route is left only at its deadline. To move on sooner, give the primary a shorter
 * deadline, a bound on rate-limit waits ({@code maxRateLimitRetries}), and a fail-fast gate
 * ({@code OutageGate.settings().whenClosed(WhenClosed.FAIL)}): its refusal falls through at once.
 *
 * <p>Immutable and thread-safe.
 */
public final class Fallbacks {

  private final List<Route> routes;

  private Fallbacks(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Starts with the primary client; the request's own model is asked first. */
  public static Builder builder(OpenAiClient primary) {
    return new Builder(primary);
  }

  /** Every route, primary first. */
  public List<Route> routes() {
    return routes;
  }

  /**
   * Whether a failure should send the request on to the next route:
   *
   * <ul>
   *   <li>yes for an exhausted quota (429 {@code insufficient_quota} and kin): another key or
   *       provider may have money left;
   *   <li>yes for anything OpenAI's classification retries: 408, 409, 429, 5xx (503 and 529
   *       "overloaded" included), refused or reset connections, timeouts (a pacer's and the outage
   *       gate's too);
   *   <li>yes for a fail-fast outage gate's refusal ({@link OutageGateClosedException}): the route's
   *       endpoint is down;
   *   <li>no for the rest: 400, 401, 403, 404, 422, malformed responses, interrupted streams,
   *       interrupts and cancellations.
   * </ul>
   */
  public static boolean fallsThrough(Throwable failure) {
    Throwable cause = Futures.unwrap(failure);
    if (cause instanceof QuotaExceededException || cause instanceof OutageGateClosedException) {
      return true;
    }
    if (cause instanceof MalformedResponseException || cause instanceof StreamInterruptedException) {
      return false;
    }
    if (cause instanceof OpenAiHttpException http && !OpenAiClassifier.isRetryableStatus(http.status())) {
      return false; // even with x-should-retry: true, a 4xx like 400 would fail everywhere
    }
    return OpenAiClassifier.INSTANCE.classify(null, cause).kind() == Verdict.Kind.RETRY;
  }

  /** A chat completion from the first route that can give one. */
  public Served<ChatCompletion> chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    return call(route -> route.client().chat().create(route.model() == null ? request : request.withModel(route.model())));
  }

  /** Like {@link #chat}, without blocking. */
  public CompletableFuture<Served<ChatCompletion>> chatAsync(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    return callAsync(route ->
        route.client().chat().createAsync(route.model() == null ? request : request.withModel(route.model())));
  }

  /** Embeddings from the first route that can give them. Fallback models must embed alike. */
  public Served<EmbeddingResponse> embeddings(EmbeddingRequest request) {
    Objects.requireNonNull(request, "request");
    return call(route ->
        route.client().embeddings().create(route.model() == null ? request : request.withModel(route.model())));
  }

  private <T> Served<T> call(Function<Route, T> attempt) {
    List<RuntimeException> skipped = new ArrayList<>();
    for (Route route : routes) {
      try {
        return new Served<>(attempt.apply(route), route, skipped);
      } catch (RuntimeException failure) {
        if (!fallsThrough(failure) || route.index() == routes.size() - 1) {
          skipped.forEach(failure::addSuppressed);
          throw failure;
        }
        skipped.add(failure);
      }
    }
    throw new IllegalStateException("no route"); // unreachable: there is always a primary
  }

  /** Cancelling the returned future cancels the route in flight, and no further route is tried. */
  private <T> CompletableFuture<Served<T>> callAsync(Function<Route, CompletableFuture<T>> attempt) {
    CompletableFuture<Served<T>> result = new CompletableFuture<>();
    tryRoute(0, new ArrayList<>(), attempt, result);
    return result;
  }

  private <T> void tryRoute(int index, List<RuntimeException> skipped, Function<Route, CompletableFuture<T>> attempt,
      CompletableFuture<Served<T>> result) {
    if (result.isDone()) {
      return; // cancelled between routes
    }
    Route route = routes.get(index);
    CompletableFuture<T> started;
    try {
      started = attempt.apply(route);
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    Futures.propagateCancel(result, started);
    started.whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(new Served<>(value, route, skipped));
        return;
      }
      Throwable cause = Futures.unwrap(failure);
      RuntimeException runtime = cause instanceof RuntimeException r ? r : new CompletionException(cause);
      if (!fallsThrough(cause) || index == routes.size() - 1) {
        skipped.forEach(runtime::addSuppressed);
        result.completeExceptionally(runtime);
        return;
      }
      List<RuntimeException> next = new ArrayList<>(skipped);
      next.add(runtime);
      tryRoute(index + 1, next, attempt, result);
    });
  }

  @Override
  public String toString() {
    return "Fallbacks" + routes;
  }

  /** The routes, in order. Not thread-safe. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();

    private Builder(OpenAiClient primary) {
      routes.add(new Route(0, Objects.requireNonNull(primary, "primary"), null));
    }

    /** Next, the primary's client asking {@code model} instead. */
    public Builder thenModel(String model) {
      return then(routes.get(0).client(), Objects.requireNonNull(model, "model"));
    }

    /** Next, another client (endpoint, key) asking the request's model. */
    public Builder then(OpenAiClient client) {
      return then(client, null);
    }

    /** Next, another client asking {@code model} ({@code null}: the request's). */
    public Builder then(OpenAiClient client, String model) {
      routes.add(new Route(routes.size(), client, model));
      return this;
    }

    /** @throws IllegalArgumentException when no fallback was added (use the client itself) */
    public Fallbacks build() {
      if (routes.size() < 2) {
        throw new IllegalArgumentException("fallbacks setting 'routes' needs at least one fallback after the primary");
      }
      return new Fallbacks(routes);
    }
  }
}
