package dev.backoff4j.spring.boot;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds the bridged SDK clients the starter hands to Spring AI and to the application, all on one
 * retry policy (and so one retry budget), one pacer, one outage gate and one set of listeners (the
 * Micrometer metrics). Sharing the gate is what makes it one gate per endpoint for the application:
 * Spring AI's sync and async chat clients and its embedding client wait at the same gate, and one
 * probe at a time tries the endpoint for all of them. A client meant for another endpoint gets a
 * gate of its own from a customizer or from {@link #builder}: {@code builder.outageGate(settings)}.
 * Use it for clients of your own that should share them:
 * {@code factory.build("local", null, b -> b.baseUrl("http://127.0.0.1:8000/v1").apiKey(key))}.
 *
 * <p>Closes what it built when the application context closes. Thread-safe.
 */
public final class Backoff4jClientFactory implements AutoCloseable {

  private final RetryPolicy<Object> retryPolicy;
  private final Pacer pacer;
  private final OutageGate outageGate;
  private final CallListener.Factory listeners;
  private final List<Backoff4jOpenAiCustomizer> customizers;
  private final List<Runnable> closers = new ArrayList<>();
  private final List<Client> clients = new ArrayList<>();

  /**
   * @param retryPolicy every client's policy
   * @param pacer shared by every client, or {@code null} for none
   * @param outageGate shared by every client (made by {@code OutageGate.Settings.newGate} on the
   *     policy's time source), or {@code null} for none: every request is sent whatever the
   *     endpoint's state
   * @param listeners every client's call listeners, or {@code null} for none
   * @param customizers applied to each client's settings last, in order
   */
  public Backoff4jClientFactory(RetryPolicy<Object> retryPolicy, Pacer pacer, OutageGate outageGate,
      CallListener.Factory listeners, List<Backoff4jOpenAiCustomizer> customizers) {
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    this.pacer = pacer;
    this.outageGate = outageGate;
    this.listeners = listeners;
    this.customizers = List.copyOf(customizers);
  }

  public RetryPolicy<Object> retryPolicy() {
    return retryPolicy;
  }

  public Optional<Pacer> pacer() {
    return Optional.ofNullable(pacer);
  }

  /** The outage gate every client built here waits at; empty when the gate is off. */
  public Optional<OutageGate> outageGate() {
    return Optional.ofNullable(outageGate);
  }

  /**
   * A builder with the shared policy, pacer, outage gate and listeners, {@code settings}
   * (connection, timeout) and then the customizers applied.
   */
  public Backoff4jOpenAI.Builder builder(Consumer<Backoff4jOpenAI.Builder> settings) {
    Backoff4jOpenAI.Builder builder = Backoff4jOpenAI.builder().retryPolicy(retryPolicy).pacer(pacer);
    if (outageGate != null) {
      builder.sharedOutageGate(outageGate);
    } else {
      builder.outageGate(OutageGate.disabled());
    }
    if (listeners != null) {
      builder.listenerFactory(listeners);
    }
    settings.accept(builder);
    customizers.forEach(customizer -> customizer.customize(builder));
    return builder;
  }

  /**
   * A blocking bridged client, listed as {@code name} (with its attempt timeout) by the actuator
   * endpoint and closed with the factory.
   *
   * @param attemptTimeout the longest one attempt may take once sent; {@code null} for the policy's
   */
  public OpenAIClient build(String name, Duration attemptTimeout, Consumer<Backoff4jOpenAI.Builder> settings) {
    OpenAIClient client = builder(withTimeout(attemptTimeout, settings)).build();
    built(new Client(name, false, effective(attemptTimeout)), client::close);
    return client;
  }

  /** A non-blocking bridged client; see {@link #build(String, Duration, Consumer)}. */
  public OpenAIClientAsync buildAsync(String name, Duration attemptTimeout,
      Consumer<Backoff4jOpenAI.Builder> settings) {
    OpenAIClientAsync client = builder(withTimeout(attemptTimeout, settings)).buildAsync();
    built(new Client(name, true, effective(attemptTimeout)), client::close);
    return client;
  }

  /** The clients built so far, in order. */
  public synchronized List<Client> clients() {
    return List.copyOf(clients);
  }

  /**
   * A client the factory built.
   *
   * @param name what it serves, e.g. {@code spring-ai-chat}
   * @param async whether it is an {@link OpenAIClientAsync}
   * @param attemptTimeout the limit of each of its attempts; empty for none
   */
  public record Client(String name, boolean async, Optional<Duration> attemptTimeout) {}

  private static Consumer<Backoff4jOpenAI.Builder> withTimeout(Duration attemptTimeout,
      Consumer<Backoff4jOpenAI.Builder> settings) {
    return builder -> {
      builder.timeout(attemptTimeout);
      if (attemptTimeout != null) {
        // The SDK's own limit too: the bridge takes the smaller, and for a stream the SDK's bounds it whole.
        builder.clientOptions(options -> options.timeout(attemptTimeout));
      }
      settings.accept(builder);
    };
  }

  private Optional<Duration> effective(Duration attemptTimeout) {
    return attemptTimeout != null ? Optional.of(attemptTimeout) : retryPolicy.attemptTimeout();
  }

  private synchronized void built(Client client, Runnable closer) {
    clients.add(client);
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
    return "Backoff4jClientFactory[" + retryPolicy + ", pacer=" + (pacer != null) + ", outageGate="
        + (outageGate != null) + "]";
  }
}
