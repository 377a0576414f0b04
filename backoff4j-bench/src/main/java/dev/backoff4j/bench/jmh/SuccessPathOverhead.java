package dev.backoff4j.bench.jmh;

import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of running a trivial call through a retry library, against calling it directly.
 *
 * <p>{@code direct}, {@code backoff4j}, {@code resilience4j}, {@code failsafe}: the call succeeds on its
 * first attempt. {@code oneRetry*}: the call fails once, deterministically, and succeeds on the second
 * attempt of the same invocation, with a zero wait in between; {@code oneRetryDirect} is the
 * hand-written {@code try { call } catch { call again }} baseline.
 *
 * <p>Fairness: every library gets the same call objects, is configured for the same thing (3 attempts,
 * zero delay, no jitter, no logging, no event consumers), and is decorated once in {@link #setUp()}.
 * The failure is one preallocated exception without a stack trace, so its allocation is not charged to
 * anyone. The call returns a field of this state, so the JIT cannot fold it, and every benchmark
 * returns the result (JMH consumes it).
 *
 * <p>Zero delay: Resilience4j 2.4.0 accepts {@code waitDuration(Duration.ZERO)}; Failsafe 3.3.2 rejects
 * {@code withDelay(Duration.ZERO)} but zero is its default. Both still call {@code Thread.sleep(0)}
 * between attempts (on HotSpot a yield), while backoff4j skips a zero wait. That is each library's own
 * behaviour and is left in the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
public class SuccessPathOverhead {

  /** Every attempt budget in this class: the first attempt plus two retries. */
  static final int MAX_ATTEMPTS = 3;

  /** Thrown by the flaky call's first attempt; preallocated and stackless, so throwing it allocates nothing. */
  static final RuntimeException TRANSIENT = new TransientFailure();

  /** What the call returns; a field, so the call cannot be constant-folded. */
  Object payload;

  /** Attempts made by the current invocation of the flaky call; each {@code oneRetry*} benchmark resets it. */
  int calls;

  /** The trivial call: succeeds at once. */
  Supplier<Object> call;

  /** The flaky call: fails on the first attempt of each invocation, succeeds on the second. */
  Supplier<Object> flakyCall;

  Supplier<Object> backoff4jCall;
  Supplier<Object> backoff4jFlakyCall;
  Supplier<Object> resilience4jCall;
  Supplier<Object> resilience4jFlakyCall;
  FailsafeExecutor<Object> failsafeExecutor;
  CheckedSupplier<Object> failsafeCall;
  CheckedSupplier<Object> failsafeFlakyCall;

  @Setup
  public void setUp() {
    payload = new Object();
    call = () -> payload;
    flakyCall = () -> {
      if (calls++ == 0) {
        throw TRANSIENT;
      }
      return payload;
    };

    RetryPolicy<Object> backoff4j = RetryPolicy.builder()
        .maxAttempts(MAX_ATTEMPTS)
        .initialDelay(Duration.ZERO)
        .jitter(Jitter.NONE)
        .retryLogLevel(Level.OFF)
        .build();
    backoff4jCall = backoff4j.decorateSupplier(call);
    backoff4jFlakyCall = backoff4j.decorateSupplier(flakyCall);

    // Resilience4j's minimal allowed wait is zero in 2.4.0; it retries every exception by default.
    Retry resilience4j = Retry.of("bench", RetryConfig.custom()
        .maxAttempts(MAX_ATTEMPTS)
        .waitDuration(Duration.ZERO)
        .build());
    resilience4jCall = Retry.decorateSupplier(resilience4j, call);
    resilience4jFlakyCall = Retry.decorateSupplier(resilience4j, flakyCall);

    // Failsafe has no decorator object: the executor is the reusable part. Its policy handles every
    // exception. Failsafe 3.3.2 rejects withDelay(Duration.ZERO) ("delay must be greater than 0"), but
    // zero is its default delay, so leaving withDelay out is the zero-delay configuration.
    failsafeExecutor = Failsafe.with(dev.failsafe.RetryPolicy.builder()
        .withMaxAttempts(MAX_ATTEMPTS)
        .build());
    failsafeCall = call::get;
    failsafeFlakyCall = flakyCall::get;
  }

  // ---- success on the first attempt ----

  @Benchmark
  public Object direct() {
    return call.get();
  }

  @Benchmark
  public Object backoff4j() {
    return backoff4jCall.get();
  }

  @Benchmark
  public Object resilience4j() {
    return resilience4jCall.get();
  }

  @Benchmark
  public Object failsafe() {
    return failsafeExecutor.get(failsafeCall);
  }

  // ---- one failure, then success after a zero wait ----

  @Benchmark
  public Object oneRetryDirect() {
    calls = 0;
    try {
      return flakyCall.get();
    } catch (RuntimeException first) {
      return flakyCall.get();
    }
  }

  @Benchmark
  public Object oneRetryBackoff4j() {
    calls = 0;
    return backoff4jFlakyCall.get();
  }

  @Benchmark
  public Object oneRetryResilience4j() {
    calls = 0;
    return resilience4jFlakyCall.get();
  }

  @Benchmark
  public Object oneRetryFailsafe() {
    calls = 0;
    return failsafeExecutor.get(failsafeFlakyCall);
  }

  /** A transient failure without a stack trace or suppression, so it can be thrown again and again. */
  static final class TransientFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransientFailure() {
      super("transient failure (benchmark)", null, false, false);
    }
  }
}
