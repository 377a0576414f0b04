package dev.backoff4j.openai.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.batch.internal.BatchInput;
import dev.backoff4j.openai.batch.internal.BatchOutput;
import dev.backoff4j.openai.batch.internal.BatchRequest;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.internal.Json;
import dev.backoff4j.openai.internal.Secrets;
import dev.backoff4j.openai.spi.Credentials;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import dev.backoff4j.retry.GiveUpReason;
import dev.backoff4j.retry.RetryHistory;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.spi.Futures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

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
 * lists the bad lines). Every request ends as one line: a response, or an error once the client's
 * retry policy gave up or refused (the line then says why, and whether the error was
 * {@code retryable}). Running again with the same output file resumes: requests already there are
 * skipped, so none is lost and none is written twice, also after a crash (see {@link BatchOutput}).
 * An existing output file that is not a batch output of this input is refused, never changed; the
 * output may not be the input file itself (by a symbolic or hard link either). The client's API key
 * is masked in every line written, should a server echo it.
 *
 * <p>Memory does not grow with the input: the input is read twice, streaming — once to check it,
 * keeping about 50 bytes per {@code custom_id} (a digest, its line number and its output state), and
 * once to send it, holding only the requests in flight. Requests go through the client's asynchronous
 * pipeline, at most {@code concurrency} in flight; no thread waits per request. Retries, hints and
 * deadlines are the client's retry policy's; pacing is whatever the client has. Immutable; each
 * {@link #run()} is independent.
 */
public final class BatchRunner {

  private final OpenAiClient client;
  private final Path input;
  private final Path output;
  private final int concurrency;
  private final boolean retryErrors;
  private final List<BatchListener> listeners;

  private BatchRunner(Builder builder) {
    this.client = builder.client;
    this.input = builder.input;
    this.output = builder.output;
    this.concurrency = builder.concurrency;
    this.retryErrors = builder.retryErrors;
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
   * @throws InvalidBatchFileException if the input has invalid lines, or the output exists and is not a
   *     batch output of this input; nothing was sent and neither file was changed
   * @throws InvalidSettingException if the output is the input file (also through a link)
   * @throws IOException if a file cannot be read or written (the message says which and why); if
   *     sending had begun ({@link BatchListener#onStart}), requests without a line are sent on the next run
   * @throws InterruptedException if the calling thread was interrupted; requests in flight are cancelled
   */
  public BatchProgress run() throws IOException, InterruptedException {
    if (Files.exists(output) && Files.exists(input) && Files.isSameFile(input, output)) {
      throw new InvalidSettingException("batch runner", "output", "must not be the input file (it is the same "
          + "file, through a link)");
    }
    BatchInput.Index index = BatchInput.check(input);
    Secrets secrets = Secrets.compile(Credentials.of(client.pipeline()));
    try (BatchOutput out = BatchOutput.open(output, index, retryErrors, secrets);
        BatchInput.Pending pending = BatchInput.pending(input, index)) {
      return new Run(index.requests(), out, pending).execute();
    }
  }

  /** One execution's counters; it hears its own requests' retries as their {@link CallListener}. */
  private final class Run implements CallListener {
    private final BatchOutput out;
    private final BatchInput.Pending pending;
    private final int total;
    private final int skipped;
    private final int skippedErrors;
    private final int resent;
    private final long startNanos = System.nanoTime();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicReference<IOException> writeFailure = new AtomicReference<>();
    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();

    Run(int total, BatchOutput out, BatchInput.Pending pending) {
      this.out = out;
      this.pending = pending;
      this.total = total;
      this.skipped = out.resume().kept();
      this.skippedErrors = out.resume().keptErrors();
      this.resent = out.resume().removedErrors();
    }

    BatchProgress execute() throws IOException, InterruptedException {
      notify(listener -> listener.onStart(progress()));
      Semaphore permits = new Semaphore(concurrency);
      IOException readFailure = null;
      try {
        while (writeFailure.get() == null) {
          BatchRequest request;
          try {
            request = pending.next();
          } catch (IOException e) {
            readFailure = e;
            break;
          }
          if (request == null) {
            break;
          }
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
      IOException failure = writeFailure.get() != null ? writeFailure.get() : readFailure;
      if (failure != null) {
        throw failure;
      }
      return progress();
    }

    private CompletableFuture<BatchResult> send(BatchRequest request) {
      CompletableFuture<Response> response;
      try {
        Request http = Request.postJson(client.url(request.path()), request.body()).withTag(CallListener.class, this);
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
      return new BatchProgress(total, skipped, skippedErrors, resent, succeeded.get(), failed.get(), inFlight.get(),
          retries.get(), rateLimited.get(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private void notify(Consumer<BatchListener> event) {
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
    return response.body().json()
        .map(body -> BatchResult.success(request.customId(), response.status(), requestId, body))
        .orElseGet(() -> BatchResult.failure(request.customId(), response.status(), requestId,
            TextNode.valueOf(new String(response.body().bytes(), StandardCharsets.UTF_8)), "malformed_response",
            "the response body is not JSON", false));
  }

  private static BatchResult fromFailure(BatchRequest request, Throwable failure) {
    RetryHistory history = RetryHistory.of(failure).orElse(null);
    String message = failure.getMessage() + (history == null ? "" : "; " + history);
    // Recoverable: the retry policy would have retried it, but ran out of attempts, time or budget.
    boolean retryable = history != null && history.reason() != GiveUpReason.NOT_RETRYABLE;
    if (failure instanceof OpenAiHttpException http) {
      byte[] bytes = http.body();
      JsonNode body = Json.tryParse(bytes).orElseGet(() -> TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8)));
      String code = http.error().codeOrType();
      return BatchResult.failure(request.customId(), http.status(), http.requestId().orElse(null), body,
          code != null ? code : "http_" + http.status(), message, retryable);
    }
    if (failure instanceof MalformedResponseException malformed) {
      return BatchResult.failure(request.customId(), malformed.status(), malformed.requestId().orElse(null), null,
          "malformed_response", message, retryable);
    }
    String code = failure instanceof OpenAiTimeoutException ? "timeout"
        : failure instanceof OpenAiConnectionException ? "connection_error"
        : "client_error";
    return BatchResult.failure(request.customId(), 0, null, null, code, message, retryable);
  }

  @Override
  public String toString() {
    return "BatchRunner[" + input + " -> " + output + ", concurrency " + concurrency
        + (retryErrors ? ", retrying errors" : "") + "]";
  }

  /** Settings of a {@link BatchRunner}; {@link #build()} validates and names the bad setting. */
  public static final class Builder {
    private OpenAiClient client;
    private Path input;
    private Path output;
    private int concurrency = 8;
    private boolean retryErrors;
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

    /**
     * On resume, send again the requests whose line in the output is a recoverable error (a 5xx, a
     * connection failure, a timeout, a rate limit, a deadline: {@code "retryable": true}); final
     * rejections (4xx, quota, malformed responses) stay as they are (default {@code false}: every line
     * is kept). Their old lines are removed from the output before anything is sent (an atomic
     * rewrite), so the output still has exactly one line per {@code custom_id} at every moment;
     * {@link BatchProgress#resent()} counts them.
     */
    public Builder retryErrors(boolean retryErrors) {
      this.retryErrors = retryErrors;
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(BatchListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws InvalidSettingException naming the first invalid setting; an output that is the input
     *     through a link is refused by {@link #run()}, when the files are looked at
     */
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
