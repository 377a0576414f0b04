package dev.backoff4j.spring.boot;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds the bridged SDK clients the starter hands to Spring AI and to the application, all on one
 * retry policy (and so one retry budget), one pacer and one set of listeners (the Micrometer
 * metrics). Use it for clients of your own that should share them:
 * {@code factory.build(b -> b.baseUrl("http://127.0.0.1:8000/v1").apiKey(key))}.
 *
 * <p>Closes what it built when the application context closes. Thread-safe.
 */
public final class Backoff4jClientFactory implements AutoCloseable {

  private final RetryPolicy<Object> retryPolicy;
  private final Pacer pacer;
  private final CallListener.Factory listeners;
  private final List<Backoff4jOpenAiCustomizer> customizers;
  private final List<Runnable> closers = new ArrayList<>();

  /**
   * @param retryPolicy every client's policy
   * @param pacer shared by every client, or {@code null} for none
   * @param listeners every client's call listeners, or {@code null} for none
   * @param customizers applied to each client's settings last, in order
   */
  public Backoff4jClientFactory(RetryPolicy<Object> retryPolicy, Pacer pacer, CallListener.Factory listeners,
      List<Backoff4jOpenAiCustomizer> customizers) {
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    this.pacer = pacer;
    this.listeners = listeners;
    this.customizers = List.copyOf(customizers);
  }

  public RetryPolicy<Object> retryPolicy() {
    return retryPolicy;
  }

  public Optional<Pacer> pacer() {
    return Optional.ofNullable(pacer);
  }

  /**
   * A builder with the shared policy, pacer and listeners, {@code settings} (connection, timeout)
   * and then the customizers applied.
   */
  public Backoff4jOpenAI.Builder builder(Consumer<Backoff4jOpenAI.Builder> settings) {
    Backoff4jOpenAI.Builder builder = Backoff4jOpenAI.builder().retryPolicy(retryPolicy).pacer(pacer);
    if (listeners != null) {
      builder.listenerFactory(listeners);
    }
    settings.accept(builder);
    customizers.forEach(customizer -> customizer.customize(builder));
    return builder;
  }

  /** A blocking bridged client, closed with the factory. */
  public OpenAIClient build(Consumer<Backoff4jOpenAI.Builder> settings) {
    OpenAIClient client = builder(settings).build();
    onClose(client::close);
    return client;
  }

  /** A non-blocking bridged client, closed with the factory. */
  public OpenAIClientAsync buildAsync(Consumer<Backoff4jOpenAI.Builder> settings) {
    OpenAIClientAsync client = builder(settings).buildAsync();
    onClose(client::close);
    return client;
  }

  private synchronized void onClose(Runnable closer) {
    closers.add(closer);
  }

  /** Closes every client built here; a client that fails to close does not keep the others open. */
  @Override
  public synchronized void close() {
    for (Runnable closer : closers) {
      try {
        closer.run();
      } catch (RuntimeException ignored) {
        // shutting down: the others still close
      }
    }
    closers.clear();
  }

  @Override
  public String toString() {
    return "Backoff4jClientFactory[" + retryPolicy + ", pacer=" + (pacer != null) + "]";
  }
}
