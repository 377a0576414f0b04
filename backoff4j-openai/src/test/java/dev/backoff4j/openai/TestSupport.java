package dev.backoff4j.openai;

import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.retry.event.RetryScheduled;
import dev.backoff4j.testkit.VirtualTime;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

/** Shared fixtures: the OpenAI preset on virtual time, and a client on a local server. */
public final class TestSupport {

  public static final String KEY = "sk-test-SECRETSECRET1234";

  private TestSupport() {}

  /** The preset on {@code time}, without budget (tests counting attempts must not depend on it), quiet. */
  public static RetryPolicyBuilder<Object> preset(VirtualTime time) {
    return OpenAiRetryPolicy.builder(time).budget(null).retryLogLevel(Level.OFF);
  }

  public static OpenAiClientBuilder client(String baseUrl, RetryPolicyBuilder<Object> policy) {
    return OpenAiClient.builder()
        .environment(name -> null)
        .baseUrl(baseUrl)
        .apiKey(KEY)
        .retryPolicy(policy.build());
  }

  /** Collects retry events. */
  public static final class Retries implements RetryListener {
    public final List<RetryScheduled> events = new CopyOnWriteArrayList<>();

    @Override
    public void onRetryScheduled(RetryScheduled event) {
      events.add(event);
    }
  }

  /**
   * Waits for {@code future} while moving virtual time forward in small steps, so scheduled retries run
   * but a 5-minute attempt timer does not fire while a real HTTP exchange is in flight.
   */
  public static <T> T await(CompletableFuture<T> future, VirtualTime time) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!future.isDone()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("future did not complete");
      }
      time.advance(Duration.ofMillis(100));
      Thread.sleep(2);
    }
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
