package dev.backoff4j.openai.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.spi.Futures;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.batch.internal.BatchInput;
import dev.backoff4j.openai.batch.internal.BatchOutput;
import dev.backoff4j.openai.batch.internal.BatchRequest;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.internal.Json;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.retry.event.RetryScheduled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a batch input file (OpenAI Batch API format) against the live API through an
 * {@link OpenAiClient}, writing one output line per request, exactly once, as each one completes.
 *
 * <pre>{@code
 * BatchProgress done = BatchRunner.builder()
 *     .client(client)
 *     .input(Path.of("requests.jsonl"))
 *     .output(Path.of("results.jsonl"))
 *     .concurrency(16)
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Guarantees: the whole input is checked before anything is sent ({@link InvalidBatchFileException}
 * lists every bad line). Every request ends as one line: a response, or an error once the client's
 * retry policy gave up or refused (the line then says why). Running again with the same output file
 * resumes: requests already there are skipped, so none is lost and none is written twice, also after
 * a crash (see {@link BatchOutput}).
 *
 * <p>Requests go through the client's asynchronous pipeline, at most {@code concurrency} in flight;
 * no thread waits per request. Retries, hints and deadlines are the client's retry policy's; pacing is
 * whatever interceptors the client has. Immutable; each {@link #run()} is independent.
 */
public final class BatchRunner {

  private final OpenAiClient client;
  private final Path input;
  private final Path output;
  private final int concurrency;
  private final List<BatchListener> listeners;

  private BatchRunner(Builder builder) {
    this.client = builder.client;
    this.input = builder.input;
    this.output = builder.output;
    this.concurrency = builder.concurrency;
    this.listeners = List.copyOf(builder.listeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks the input, resumes the output and sends every request not yet in it; returns when each has
   * its line.
   *
   * @return the final counters; {@link BatchProgress#allSucceeded()} tells whether any line is an error
   * @throws InvalidBatchFileException if the input (or an existing output) has invalid lines; nothing was sent
   * @throws IOException if the output cannot be written; requests without a line are sent again on the next run
   * @throws InterruptedException if the calling thread was interrupted; requests in flight are cancelled
   */
  public BatchProgress run() throws IOException, InterruptedException {
    List<BatchRequest> requests;
    try {
      requests = BatchInput.read(input);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    try (BatchOutput out = BatchOutput.open(output)) {
      return new Run(requests, out).execute();
    }
  }

  /** One execution's counters; it hears its own requests' retries as their {@link CallListener}. */
  private final class Run implements CallListener {
    private final BatchOutput out;
    private final List<BatchRequest> pending = new ArrayList<>();
    private final int total;
    private final int skipped;
    private final int skippedErrors;
    private final long startNanos = System.nanoTime();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicReference<IOException> writeFailure = new AtomicReference<>();
    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();

    Run(List<BatchRequest> requests, BatchOutput out) {
      this.out = out;
      Map<String, Boolean> written = out.written();
      int skippedCount = 0;
      int skippedErrorCount = 0;
      for (BatchRequest request : requests) {
        Boolean error = written.get(request.customId());
        if (error == null) {
          pending.add(request);
        } else {
          skippedCount++;
          skippedErrorCount += error ? 1 : 0;
        }
      }
      this.total = requests.size();
      this.skipped = skippedCount;
      this.skippedErrors = skippedErrorCount;
    }

    BatchProgress execute() throws IOException, InterruptedException {
      notify(listener -> listener.onStart(progress()));
      Semaphore permits = new Semaphore(concurrency);
      try {
        for (BatchRequest request : pending) {
          permits.acquire();
          if (writeFailure.get() != null) {
            permits.release();
            break;
          }
          inFlight.incrementAndGet();
          CompletableFuture<BatchResult> sent = send(request);
          CompletableFuture<Void> done = Futures.propagateCancel(sent.thenAccept(this::record), sent);
          running.add(done);
          done.whenComplete((ignored, failure) -> {
            running.remove(done);
            permits.release();
          });
        }
        permits.acquire(concurrency);
      } catch (InterruptedException e) {
        running.forEach(future -> future.cancel(true));
        throw e;
      }
      IOException failure = writeFailure.get();
      if (failure != null) {
        throw failure;
      }
      return progress();
    }

    private CompletableFuture<BatchResult> send(BatchRequest request) {
      CompletableFuture<Response> response;
      try {
        Request http = Request.postJson(client.url(request.path()), Json.write(request.body()))
            .withTag(CallListener.class, this);
        response = client.pipeline().executeAsync(http);
      } catch (RuntimeException e) {
        response = CompletableFuture.failedFuture(e);
      }
      return Futures.propagateCancel(response.handle((answer, failure) -> failure == null
          ? fromResponse(request, answer)
          : fromFailure(request, Futures.unwrap(failure))), response);
    }

    private void record(BatchResult result) {
      inFlight.decrementAndGet();
      if (writeFailure.get() != null) {
        return; // the run is stopping; this request is sent again on the next run
      }
      try {
        out.write(result);
      } catch (IOException e) {
        writeFailure.compareAndSet(null, e);
        return;
      }
      (result.isError() ? failed : succeeded).incrementAndGet();
      if (result.isError() && result.statusCode() == 429) {
        rateLimited.incrementAndGet();
      }
      BatchProgress progress = progress();
      notify(listener -> listener.onResult(result, progress));
    }

    @Override
    public void onRetryScheduled(RetryScheduled event) {
      retries.incrementAndGet();
      if (event.failure() instanceof OpenAiHttpException http && http.status() == 429) {
        rateLimited.incrementAndGet();
      }
      BatchProgress progress = progress();
      notify(listener -> listener.onRetry(event, progress));
    }

    BatchProgress progress() {
      return new BatchProgress(total, skipped, skippedErrors, succeeded.get(), failed.get(), inFlight.get(),
          retries.get(), rateLimited.get(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private void notify(java.util.function.Consumer<BatchListener> event) {
      for (BatchListener listener : listeners) {
        try {
          event.accept(listener);
        } catch (RuntimeException ignored) {
          // observing a run must not change it
        }
      }
    }
  }

  private static BatchResult fromResponse(BatchRequest request, Response response) {
    String requestId = response.headers().first(RateLimitHeaders.REQUEST_ID).orElse(null);
    byte[] bytes = response.body().bytes();
    return Json.tryParse(bytes)
        .map(body -> BatchResult.success(request.customId(), response.status(), requestId, body))
        .orElseGet(() -> BatchResult.failure(request.customId(), response.status(), requestId,
            TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8)), "malformed_response",
            "the response body is not JSON"));
  }

  private static BatchResult fromFailure(BatchRequest request, Throwable failure) {
    String history = RetryHistory.of(failure).map(h -> "; " + h).orElse("");
    String message = failure.getMessage() + history;
    if (failure instanceof OpenAiHttpException http) {
      byte[] bytes = http.body();
      JsonNode body = Json.tryParse(bytes).orElseGet(() -> TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8)));
      String code = http.error().codeOrType();
      return BatchResult.failure(request.customId(), http.status(), http.requestId().orElse(null), body,
          code != null ? code : "http_" + http.status(), message);
    }
    if (failure instanceof MalformedResponseException malformed) {
      return BatchResult.failure(request.customId(), malformed.status(), malformed.requestId().orElse(null), null,
          "malformed_response", message);
    }
    String code = failure instanceof OpenAiTimeoutException ? "timeout"
        : failure instanceof OpenAiConnectionException ? "connection_error"
        : "client_error";
    return BatchResult.failure(request.customId(), 0, null, null, code, message);
  }

  @Override
  public String toString() {
    return "BatchRunner[" + input + " -> " + output + ", concurrency " + concurrency + "]";
  }

  /** Settings of a {@link BatchRunner}; {@link #build()} validates and names the bad setting. */
  public static final class Builder {
    private OpenAiClient client;
    private Path input;
    private Path output;
    private int concurrency = 8;
    private final List<BatchListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The client whose pipeline (retry policy, pacer, credentials) every request goes through. */
    public Builder client(OpenAiClient client) {
      this.client = client;
      return this;
    }

    /** The input file, one Batch API request per line. */
    public Builder input(Path input) {
      this.input = input;
      return this;
    }

    /** The output file; created if missing, resumed if not. May not be the input file. */
    public Builder output(Path output) {
      this.output = output;
      return this;
    }

    /** Requests in flight at once, 1..10,000 (default 8); waits for retries count as in flight. */
    public Builder concurrency(int concurrency) {
      InvalidSettingException.check(concurrency >= 1 && concurrency <= 10_000, "batch runner", "concurrency",
          "must be 1..10000", concurrency);
      this.concurrency = concurrency;
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(BatchListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid setting */
    public BatchRunner build() {
      check(client != null, "client", "is required");
      check(input != null, "input", "is required");
      check(output != null, "output", "is required");
      check(!input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize()), "output",
          "must not be the input file");
      return new BatchRunner(this);
    }

    private static void check(boolean valid, String setting, String rule) {
      if (!valid) {
        throw new InvalidSettingException("batch runner", setting, rule);
      }
    }
  }
}
