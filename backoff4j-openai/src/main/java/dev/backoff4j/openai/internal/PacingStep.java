package dev.backoff4j.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backoff4j.spi.Futures;
import dev.backoff4j.openai.classify.OpenAiClassifier;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.openai.spi.SharedPacingStore;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.pacing.PacingTimeoutException;
import dev.backoff4j.openai.pacing.TokenEstimate;
import dev.backoff4j.openai.pacing.internal.ColdTicket;
import dev.backoff4j.openai.pacing.internal.DefaultPacer;
import dev.backoff4j.openai.pacing.internal.Reservation;
import dev.backoff4j.openai.http.Interceptors;
import dev.backoff4j.time.ScheduledTask;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pacer's place in the pipeline: inside the retry step, so every attempt is paced and every
 * response teaches the pacer, 429s included ({@code OpenAiPipelineBuilder.pacer} installs it). It
 * reserves, waits (sleeping, or on the time source's scheduler without holding a thread) within the
 * time left before the deadline, sends, and hands the outcome back to the pacer. The request's cost
 * was estimated once for the call ({@link #estimateOnce}), not per attempt. Before reserving, a
 * request waits its turn in the scope's cold start while the pacer has not yet learned the limits
 * (one request alone, then one more per response).
 */
public final class PacingStep implements Interceptor {

  /** Without a deadline, a caller blocked in the cold start checks its turn this often (virtual clocks need steps). */
  private static final long COLD_WAIT_STEP_NANOS = 1_000_000_000L;

  private final DefaultPacer pacer;
  private final TimeSource time;
  private final Executor executor;
  private final SharedPacingStore.Scope account;

  /** @param executor where an asynchronous attempt continues after its wait */
  public PacingStep(DefaultPacer pacer, Executor executor) {
    this(pacer, executor, null);
  }

  /**
   * @param executor where an asynchronous attempt continues after its wait (and after the shared
   *     store's answer, which arrives on the store's thread)
   * @param account the API and account whose limits the requests count against, for the pacer's
   *     shared store; {@code null} to pace locally
   */
  public PacingStep(DefaultPacer pacer, Executor executor, SharedPacingStore.Scope account) {
    this.pacer = Objects.requireNonNull(pacer, "pacer");
    this.time = pacer.timeSource();
    this.executor = Objects.requireNonNull(executor, "executor");
    this.account = account;
  }

  /**
   * The step before the retry step that prices each call once and tags its request with the
   * {@link TokenEstimate} (empty for calls the pacer does not count: GETs, unknown bodies), so no
   * attempt parses the body again.
   */
  public static Interceptor estimateOnce(DefaultPacer pacer) {
    return Interceptors.mapRequest(request -> request.withTag(Priced.class,
        new Priced(pacer.estimator().estimate(request))));
  }

  /** A call's price, as the estimate step tagged it. */
  record Priced(Optional<TokenEstimate> estimate) {}

  private Optional<TokenEstimate> estimate(Request request) {
    return request.tag(Priced.class).map(Priced::estimate).orElseGet(() -> pacer.estimator().estimate(request));
  }

  @Override
  public Response intercept(Chain chain) {
    Optional<TokenEstimate> estimate = estimate(chain.request());
    if (estimate.isEmpty()) {
      return chain.proceed(chain.request());
    }
    long coldStart = time.nanoTime();
    ColdTicket cold = pacer.enterColdStart(estimate.get(), executor);
    if (cold == null) {
      return paced(chain, estimate.get());
    }
    boolean responded = false;
    try {
      awaitCold(chain, cold, coldStart);
      Response response = paced(after(chain, coldStart), estimate.get());
      responded = true;
      return response;
    } catch (OpenAiHttpException e) {
      responded = true;
      throw e;
    } finally {
      pacer.exitColdStart(cold, responded);
    }
  }

  /** Blocks until the cold start lets the request go, within the time the attempt has left. */
  private void awaitCold(Chain chain, ColdTicket cold, long start) {
    try {
      while (!cold.turn().isDone()) {
        Optional<Duration> limit = chain.timeout();
        long left = limit.map(t -> t.toNanos() - (time.nanoTime() - start)).orElse(COLD_WAIT_STEP_NANOS);
        if (limit.isPresent() && left <= 0) {
          throw new PacingTimeoutException(limit.get(), limit.get());
        }
        time.await(cold.turn(), left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the pacer");
    }
  }

  /** {@code chain} with the time spent since {@code start} taken off its timeout. */
  private Chain after(Chain chain, long start) {
    long spent = time.nanoTime() - start;
    return spent <= 0 ? chain : chain.withTimeout(chain.timeout().map(t -> t.minusNanos(spent)));
  }

  private Response paced(Chain chain, TokenEstimate estimate) {
    long start = time.nanoTime();
    Reservation reservation = reserveNow(estimate);
    try {
      long wait = reservation.waitTime().toNanos();
      checkTimeLeft(chain, reservation, wait);
      if (wait > 0) {
        time.sleep(wait);
      }
      long more;
      while ((more = pacer.pauseLeft(reservation).toNanos()) > 0) {
        checkTimeLeft(chain, reservation, time.nanoTime() - start + more);
        time.sleep(more);
      }
    } catch (InterruptedException e) {
      pacer.cancel(reservation);
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the pacer");
    }
    Chain send = chain.withTimeout(chain.timeout().map(t -> t.minusNanos(time.nanoTime() - start)));
    Response response;
    try {
      response = send.proceed(send.request());
    } catch (OpenAiHttpException e) {
      learn(reservation, e);
      throw e;
    } catch (RuntimeException | Error e) {
      pacer.onNoAnswer(reservation);
      throw e;
    }
    learn(reservation, response, estimate);
    return response;
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    Optional<TokenEstimate> estimate = estimate(chain.request());
    if (estimate.isEmpty()) {
      return chain.proceedAsync(chain.request());
    }
    long coldStart = time.nanoTime();
    ColdTicket cold = pacer.enterColdStart(estimate.get(), executor);
    if (cold == null) {
      return pacedAsync(chain, estimate.get());
    }
    // Cold: wait for a place (the engine's deadline cancels a wait that lasts too long), then pace.
    CompletableFuture<Response> result = new CompletableFuture<>();
    AtomicReference<CompletableFuture<Response>> inner = new AtomicReference<>();
    result.whenComplete((response, failure) -> {
      if (result.isCancelled()) {
        pacer.exitColdStart(cold, false);
        CompletableFuture<Response> sending = inner.get();
        if (sending != null) {
          sending.cancel(true);
        }
      }
    });
    cold.turn().whenComplete((ignored, never) -> {
      if (result.isDone()) {
        pacer.exitColdStart(cold, false);
        return;
      }
      CompletableFuture<Response> paced;
      try {
        paced = pacedAsync(after(chain, coldStart), estimate.get());
      } catch (RuntimeException e) {
        paced = CompletableFuture.failedFuture(e);
      }
      inner.set(paced);
      if (result.isDone()) {
        paced.cancel(true);
      }
      paced.whenComplete((response, failure) -> {
        Throwable cause = Futures.unwrap(failure);
        pacer.exitColdStart(cold, failure == null || cause instanceof OpenAiHttpException);
        if (failure == null) {
          if (!result.complete(response)) {
            response.close();
          }
        } else {
          result.completeExceptionally(cause);
        }
      });
    });
    return result;
  }

  /** Reserves, blocking for the shared store's answer (bounded by its operation timeout) if there is one. */
  private Reservation reserveNow(TokenEstimate estimate) {
    CompletableFuture<Reservation> reserving = pacer.reserve(estimate, account);
    try {
      return reserving.get();
    } catch (InterruptedException e) {
      reserving.thenAccept(pacer::cancel);
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the pacer");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
  }

  /**
   * Reserves without blocking: at once without a shared store; else continues on the executor
   * when the store answers (never on the store's I/O thread). A call cancelled meanwhile gives its
   * reservation back.
   */
  private CompletableFuture<Response> pacedAsync(Chain chain, TokenEstimate estimate) {
    long asked = time.nanoTime();
    CompletableFuture<Reservation> reserving = pacer.reserve(estimate, account);
    if (reserving.isDone() && !reserving.isCompletedExceptionally()) {
      return pacedAsync(chain, estimate, reserving.join());
    }
    CompletableFuture<Response> result = new CompletableFuture<>();
    AtomicReference<CompletableFuture<Response>> inner = new AtomicReference<>();
    result.whenComplete((response, failure) -> {
      CompletableFuture<Response> sending = inner.get();
      if (result.isCancelled() && sending != null) {
        sending.cancel(true);
      }
    });
    reserving.whenCompleteAsync((reservation, failure) -> {
      if (failure != null) {
        result.completeExceptionally(Futures.unwrap(failure));
        return;
      }
      if (result.isDone()) {
        pacer.cancel(reservation);
        return;
      }
      CompletableFuture<Response> paced;
      try {
        paced = pacedAsync(after(chain, asked), estimate, reservation);
      } catch (RuntimeException e) {
        paced = CompletableFuture.failedFuture(e);
      }
      inner.set(paced);
      if (result.isDone()) {
        paced.cancel(true);
      }
      paced.whenComplete((response, thrown) -> {
        if (thrown == null) {
          if (!result.complete(response)) {
            response.close();
          }
        } else {
          result.completeExceptionally(Futures.unwrap(thrown));
        }
      });
    }, this::executeOrRun);
    return result;
  }

  private void executeOrRun(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  private CompletableFuture<Response> pacedAsync(Chain chain, TokenEstimate estimate, Reservation reservation) {
    long start = time.nanoTime();
    try {
      checkTimeLeft(chain, reservation, reservation.waitTime().toNanos());
    } catch (PacingTimeoutException e) {
      return CompletableFuture.failedFuture(e);
    }
    AsyncWait wait = new AsyncWait(chain, reservation, start);
    CompletableFuture<Response> result = wait.ready.thenCompose(ignored -> {
      Chain send = chain.withTimeout(chain.timeout().map(t -> t.minusNanos(time.nanoTime() - start)));
      return wait.sending = send.proceedAsync(send.request());
    });
    CompletableFuture<Response> learned = result.handle((response, failure) -> {
      if (failure == null) {
        learn(reservation, response, estimate);
        return response;
      }
      Throwable cause = Futures.unwrap(failure);
      if (cause instanceof OpenAiHttpException http) {
        learn(reservation, http);
      } else {
        pacer.onNoAnswer(reservation);
      }
      throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    });
    learned.whenComplete((response, failure) -> {
      if (learned.isCancelled()) {
        wait.cancel();
      }
    });
    wait.start(reservation.waitTime().toNanos());
    return learned;
  }

  /** A non-blocking wait: a timer task that hands over to the executor, re-armed while a pause lasts. */
  private final class AsyncWait {
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final Chain chain;
    final Reservation reservation;
    final long start;
    volatile ScheduledTask timer;
    volatile CompletableFuture<Response> sending;

    AsyncWait(Chain chain, Reservation reservation, long start) {
      this.chain = chain;
      this.reservation = reservation;
      this.start = start;
    }

    void start(long nanos) {
      if (nanos <= 0 && pacer.pauseLeft(reservation).isZero()) {
        ready.complete(null);
        return;
      }
      timer = time.schedule(nanos, this::wake);
    }

    private void wake() {
      try {
        executor.execute(() -> {
          if (ready.isDone()) {
            return;
          }
          long more = pacer.pauseLeft(reservation).toNanos();
          if (more <= 0) {
            ready.complete(null);
            return;
          }
          try {
            checkTimeLeft(chain, reservation, time.nanoTime() - start + more);
            timer = time.schedule(more, this::wake);
          } catch (PacingTimeoutException e) {
            ready.completeExceptionally(e);
          }
        });
      } catch (RejectedExecutionException e) {
        pacer.cancel(reservation);
        ready.completeExceptionally(e);
      }
    }

    void cancel() {
      ScheduledTask current = timer;
      if (current != null) {
        current.cancel();
      }
      if (ready.cancel(false)) {
        pacer.cancel(reservation); // never sent
      }
      CompletableFuture<Response> inFlight = sending;
      if (inFlight != null) {
        inFlight.cancel(true);
      }
    }
  }

  /** Refuses to wait as long as (or longer than) the attempt has left; gives the capacity back. */
  private void checkTimeLeft(Chain chain, Reservation reservation, long waitNanos) {
    Optional<Duration> left = chain.timeout();
    if (waitNanos > 0 && left.isPresent() && waitNanos >= left.get().toNanos()) {
      pacer.cancel(reservation);
      throw new PacingTimeoutException(Duration.ofNanos(waitNanos), left.get());
    }
  }

  private void learn(Reservation reservation, OpenAiHttpException failure) {
    if (failure.status() == 429 && !OpenAiClassifier.isQuotaExhausted(failure.error())) {
      pacer.onRateLimited(reservation, failure.rateLimits(), failure.hint());
    } else {
      pacer.onResponse(reservation, failure.rateLimits(), null);
    }
  }

  private void learn(Reservation reservation, Response response, TokenEstimate estimate) {
    pacer.onResponse(reservation, response.rateLimits(), usage(response, estimate));
  }

  /**
   * The {@code usage} of a buffered JSON body — chat's ({@code prompt_tokens}, {@code completion_tokens})
   * or the Responses API's ({@code input_tokens}, {@code output_tokens}); both have {@code total_tokens}.
   * Streams report theirs at the end, which this never sees.
   */
  private static DefaultPacer.Usage usage(Response response, TokenEstimate estimate) {
    if (response.request().streaming() || !response.body().isBuffered()) {
      return null;
    }
    JsonNode usage = response.body().json().map(json -> json.get("usage")).orElse(null);
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long total = usage.path("total_tokens").asLong(-1);
    long prompt = count(usage, "prompt_tokens", "input_tokens");
    long completion = estimate.maxCompletionTokens() == 0 ? -1 : count(usage, "completion_tokens", "output_tokens");
    return new DefaultPacer.Usage(prompt, completion < 0 ? -1 : completion / estimate.choices(), total);
  }

  /** The first of two counts {@code usage} has, -1 for neither. */
  private static long count(JsonNode usage, String name, String alternative) {
    JsonNode value = usage.has(name) ? usage.get(name) : usage.get(alternative);
    return value != null && value.canConvertToLong() ? value.asLong() : -1;
  }

  @Override
  public String toString() {
    return "PacingStep[" + pacer + "]";
  }
}
