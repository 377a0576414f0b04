package dev.backoff4j.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// tag::retry-policy[]
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
// end::retry-policy[]
// tag::classifier[]
import dev.backoff4j.retry.RetryClassifier;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.Verdict;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;
// end::classifier[]
// tag::giving-up[]
import dev.backoff4j.retry.RetryHistory;
import java.io.UncheckedIOException;
// end::giving-up[]
// tag::rate-limits[]
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.Verdict;
import java.time.Duration;
// end::rate-limits[]
// tag::budget-wait[]
import dev.backoff4j.budget.RetryBudget;
import dev.backoff4j.budget.WhenExhausted;
import dev.backoff4j.retry.RetryPolicy;
import java.time.Duration;
// end::budget-wait[]
// tag::virtual-time[]
import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.testkit.VirtualTime;
import java.time.Duration;
// end::virtual-time[]
// tag::virtual-time-async[]
import java.util.concurrent.CompletableFuture;
// end::virtual-time-async[]

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.retry.GiveUpReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** backoff4j-core/README.md (and the root README's summary). */
class CoreReadmeTest {
  private final List<String> calls = new ArrayList<>();

  @Test
  void retryPolicy() throws Exception {
    // tag::retry-policy[]

    RetryPolicy<Object> policy = RetryPolicy.builder()
        .maxAttempts(5)                          // or .maxRetries(4)
        .initialDelay(Duration.ofSeconds(1))     // the recipe's initial_delay
        .multiplier(2)                           // ... * 2^attempt
        .maxDelay(Duration.ofSeconds(30))
        .jitter(Jitter.FULL)                     // NONE, FULL, EQUAL, DECORRELATED
        .maxElapsed(Duration.ofMinutes(2))       // a deadline across all attempts and waits
        .maxServerDelay(Duration.ofSeconds(60))  // refuse larger server hints at once
        .build();

    String reply = policy.get(() -> callTheApi());                       // sync
    CompletableFuture<String> later = policy.getAsync(() -> callAsync()); // async, waits on a scheduler
    Function<String, String> ask = policy.decorateFunction(this::callTheApi); // a reusable decorator
    String withContext = policy.execute(ctx -> call(ctx.attemptTimeout()));   // each attempt sees its context
    // end::retry-policy[]

    assertThat(reply).isEqualTo("reply");
    assertThat(later.get()).isEqualTo("async reply");
    assertThat(ask.apply("hi")).isEqualTo("reply to hi");
    assertThat(withContext).isEqualTo("reply within the deadline");
    assertThat(calls).containsExactly("callTheApi()", "callAsync()", "call(timeout)", "callTheApi(hi)");
  }

  @Test
  void classifier() throws Exception {
    try (MockServer mock = MockServer.start(Scenario.builder().script("hint-ms:50,200").build())) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/models")).build();
      // tag::classifier[]

      RetryClassifier<HttpResponse<String>> byStatus = (response, failure) -> {
        if (failure != null) {
          return failure instanceof IOException ? Verdict.RETRY : Verdict.STOP;
        }
        int status = response.statusCode();
        Optional<String> hint = response.headers().firstValue("retry-after-ms");
        if (status == 429 && hint.isPresent()) {    // waits exactly what the server asked, no jitter
          return Verdict.retryAfter(Duration.ofMillis(Long.parseLong(hint.get())), "retry-after-ms");
        }
        if (status == 429 || status >= 500) {
          return Verdict.RETRY;                     // a result, retried like a failure
        }
        return status < 400 ? Verdict.SUCCESS : Verdict.stop("HTTP " + status);
      };
      RetryPolicy<HttpResponse<String>> policy = RetryPolicy.builder().classifier(byStatus).build();
      HttpResponse<String> response = policy.call(() -> http.send(request, BodyHandlers.ofString()));
      // end::classifier[]

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(mock.stats().byStatus()).containsEntry(429, 1L).containsEntry(200, 1L);
    }
  }

  /** "429, try again in {@code hint}". */
  static final class TooManyRequests extends RuntimeException {
    final Duration hint;

    TooManyRequests(Duration hint) {
      super("429");
      this.hint = hint;
    }

    Duration retryAfter() {
      return hint;
    }
  }

  @Test
  void rateLimits() {
    // tag::rate-limits[]

    RetryPolicy<Object> policy = RetryPolicy.builder()
        .classifier((result, failure) -> failure instanceof TooManyRequests tooMany
            ? Verdict.rateLimited(tooMany.retryAfter(), "retry-after")   // a wait, not an attempt
            : failure != null ? Verdict.RETRY : Verdict.SUCCESS)
        .maxAttempts(3)                          // failures: 3 attempts
        .maxElapsed(Duration.ofMinutes(2))       // rate limits: waited out until the deadline
        .build();                                // no deadline? then .maxRateLimitRetries(20) bounds them
    // end::rate-limits[]

    VirtualTime time = new VirtualTime();
    AtomicInteger attempts = new AtomicInteger();
    String reply = policy.toBuilder().timeSource(time).retryLogLevel(System.Logger.Level.OFF).build().get(() -> {
      // 8 rate limits: their waits add up to at most 63 s (hints 1.6 s, growth ≤ 0.5 + 1 + ... + 16 + 30 s),
      // inside the 2-minute deadline whatever the jitter draws.
      if (attempts.incrementAndGet() <= 8) {
        throw new TooManyRequests(Duration.ofMillis(200));
      }
      return "ok";
    });
    assertThat(reply).isEqualTo("ok");
    assertThat(attempts).as("8 rate limits against maxAttempts(3)").hasValue(9);
    assertThat(time.sleeps().get(0)).isEqualTo(Duration.ofMillis(200));
    assertThat(time.sleeps().subList(1, 8)).as("each repeat waits at least the hint, growing")
        .allSatisfy(wait -> assertThat(wait).isGreaterThanOrEqualTo(Duration.ofMillis(200)));
    assertThat(policy.toBuilder().maxElapsed(null).build().rateLimitsAreWaits()).isFalse();
  }

  @Test
  void budgetWait() {
    VirtualTime time = new VirtualTime();
    // tag::budget-wait[]

    RetryPolicy<Object> policy = RetryPolicy.builder()
        .maxElapsed(Duration.ofMinutes(2))
        .budget(RetryBudget.settings().ratio(0).successRatio(0.2).minRetriesPerSecond(2).build())
        .onBudgetExhausted(WhenExhausted.WAIT)   // wait in line for the budget; FAIL gives up at once
        .build();
    // end::budget-wait[]
    RetryPolicy<Object> virtual = policy.toBuilder().timeSource(time).retryLogLevel(System.Logger.Level.OFF).build();
    List<CompletableFuture<String>> outage = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      outage.add(virtual.getAsync(failingFutureTimes(1, "ok")));
    }
    time.advance(Duration.ofMillis(999));
    assertThat(outage).filteredOn(CompletableFuture::isDone).as("2 at once, then 2 per second").hasSize(3);
    time.advance(Duration.ofSeconds(2));
    assertThat(outage).allSatisfy(call -> assertThat(call).isCompletedWithValue("ok"));
    assertThat(policy.toBuilder().onBudgetExhausted(WhenExhausted.FAIL).build().onBudgetExhausted())
        .isEqualTo(WhenExhausted.FAIL);
  }

  @Test
  void givingUp() {
    RetryPolicy<Object> policy = RetryPolicy.builder().maxAttempts(3).timeSource(new VirtualTime()).build();

    assertThatThrownBy(() -> fetch(policy))
        .isInstanceOf(UncheckedIOException.class)
        .satisfies(e -> assertThat(RetryHistory.of(e).orElseThrow().reason()).isEqualTo(GiveUpReason.RETRIES_EXHAUSTED));
    assertThat(calls).hasSize(3);
  }

  // tag::giving-up[]

  String fetch(RetryPolicy<Object> policy) {
    try {
      return policy.get(() -> download());
    } catch (UncheckedIOException e) {                          // the last failure itself, not a wrapper
      RetryHistory history = RetryHistory.of(e).orElseThrow();  // present: a policy gave up on it
      System.err.println("gave up: " + history.reason()          // RETRIES_EXHAUSTED, NOT_RETRYABLE, ...
          + " after " + history.attemptCount() + " attempts, waited " + history.totalWaited());
      throw e;
    }
  }
  // end::giving-up[]

  @Test
  void virtualTime() {
    Supplier<String> flakySupplier = failingTimes(2, "ok");
    // tag::virtual-time[]

    VirtualTime time = new VirtualTime();
    RetryPolicy<Object> policy = RetryPolicy.builder().timeSource(time).jitter(Jitter.NONE).build();
    policy.get(flakySupplier);                 // sleeps are recorded, not slept
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    // end::virtual-time[]
  }

  // Fails in about 7 runs of 10 on a loaded machine today: the retries run on the common pool,
  // not on the thread calling advance, so the future may not be complete when advance returns.
  @RepeatedTest(100)
  void virtualTimeAsync() {
    VirtualTime time = new VirtualTime();
    RetryPolicy<Object> policy = RetryPolicy.builder().timeSource(time).jitter(Jitter.NONE).build();
    Supplier<CompletableFuture<String>> flakyAsync = failingFutureTimes(2, "ok");
    // tag::virtual-time-async[]

    CompletableFuture<String> f = policy.getAsync(flakyAsync);
    time.advance(Duration.ofSeconds(2));       // runs due retries on this thread
    assertThat(f).isCompletedWithValue("ok");
    // end::virtual-time-async[]
  }

  private String callTheApi() {
    calls.add("callTheApi()");
    return "reply";
  }

  private String callTheApi(String prompt) {
    calls.add("callTheApi(" + prompt + ")");
    return "reply to " + prompt;
  }

  private CompletableFuture<String> callAsync() {
    calls.add("callAsync()");
    return CompletableFuture.completedFuture("async reply");
  }

  /** Gets the time left before the policy's 2-minute deadline. */
  private String call(Optional<Duration> timeout) {
    calls.add("call(timeout)");
    assertThat(timeout).hasValueSatisfying(t -> assertThat(t).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(2)));
    return "reply within the deadline";
  }

  private String download() {
    calls.add("download()");
    throw new UncheckedIOException(new IOException("connection reset"));
  }

  private static Supplier<String> failingTimes(int failures, String value) {
    AtomicInteger calls = new AtomicInteger();
    return () -> {
      if (calls.getAndIncrement() < failures) {
        throw new IllegalStateException("flaky");
      }
      return value;
    };
  }

  private static Supplier<CompletableFuture<String>> failingFutureTimes(int failures, String value) {
    AtomicInteger calls = new AtomicInteger();
    return () -> calls.getAndIncrement() < failures
        ? CompletableFuture.failedFuture(new IllegalStateException("flaky"))
        : CompletableFuture.completedFuture(value);
  }
}
