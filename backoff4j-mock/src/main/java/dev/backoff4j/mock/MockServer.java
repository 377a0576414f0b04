package dev.backoff4j.mock;

import dev.backoff4j.mock.internal.MockEngine;
import dev.backoff4j.mock.internal.NettyServer;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A running fault-injecting OpenAI-compatible HTTP server.
 *
 * <pre>{@code
 * try (MockServer server = MockServer.start(Scenario.builder().script("hint-ms:200,503,200").build())) {
 *   client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("any").build();
 *   ...
 *   assertThat(server.stats().count(503)).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Serves {@code POST /v1/chat/completions} and {@code POST /v1/responses} (JSON or SSE),
 * {@code POST /v1/embeddings}, {@code GET /v1/models} and the admin endpoints {@code GET /_mock/stats},
 * {@code POST /_mock/scenario}, {@code POST /_mock/reset}. Thread-safe. {@link #close()} returns
 * within about a second, dropping stalled connections.
 */
public final class MockServer implements AutoCloseable {
  private final String host;
  private final MockEngine engine;
  private final NettyServer netty;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MockServer(Builder b) {
    this.host = b.host;
    this.engine = new MockEngine(b.scenario, b.nanoTime);
    this.netty = new NettyServer(b.host, b.port, b.ioThreads, engine);
  }

  /** Starts a server for {@code scenario} on a random free port of 127.0.0.1. */
  public static MockServer start(Scenario scenario) {
    return builder().scenario(scenario).start();
  }

  /** A builder: 127.0.0.1, a random port, the default scenario. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port bound, useful when the builder asked for 0 (random). */
  public int port() {
    return netty.port();
  }

  /** The base URL OpenAI clients take, e.g. {@code http://127.0.0.1:41234/v1} (no trailing slash). */
  public String baseUrl() {
    return "http://" + hostForUrl() + ":" + port() + "/v1";
  }

  /** The server root, e.g. {@code http://127.0.0.1:41234}, for the {@code /_mock/} endpoints. */
  public URI rootUri() {
    return URI.create("http://" + hostForUrl() + ":" + port());
  }

  /** A snapshot of the counts and the recent request log. */
  public MockStats stats() {
    return engine.snapshot();
  }

  /** The scenario in force. */
  public Scenario scenario() {
    return engine.state().scenario();
  }

  /**
   * Replaces the scenario at runtime: fresh rate-limit buckets, script position and outage clock;
   * stats are kept. Requests already being answered finish under the old scenario.
   */
  public void scenario(Scenario scenario) {
    engine.install(scenario);
  }

  /** Restarts the current scenario (buckets, script, outages) and clears the stats. */
  public void reset() {
    engine.reset();
  }

  /** Stops the server and drops all connections; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      netty.close();
    }
  }

  @Override
  public String toString() {
    return "MockServer{" + baseUrl() + "}";
  }

  private String hostForUrl() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /**
   * Collects server settings, each checked by its setter; {@link #start()} binds and returns the
   * running server.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Scenario scenario = Scenario.defaults();
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    /**
     * Address to bind; default 127.0.0.1 (loopback only, on purpose).
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host;
      return this;
    }

    /**
     * Port to bind; 0 (the default) picks a free one.
     *
     * @throws IllegalArgumentException unless 0..65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Event-loop threads; default one per core.
     *
     * @throws IllegalArgumentException unless 1..256
     */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 1 || ioThreads > 256) {
        throw new IllegalArgumentException("ioThreads must be 1..256, was " + ioThreads);
      }
      this.ioThreads = ioThreads;
      return this;
    }

    /** The initial scenario. */
    public Builder scenario(Scenario scenario) {
      this.scenario = Objects.requireNonNull(scenario, "scenario");
      return this;
    }

    /**
     * The monotonic clock (as {@link System#nanoTime()}) for rate-limit buckets and outage windows;
     * tests inject a fake one to move time without sleeping. Latencies still use real time.
     */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws UncheckedIOException if the address cannot be bound, with a message naming it and why
     *     (e.g. {@code cannot listen on 127.0.0.1:8080: Address already in use})
     */
    public MockServer start() {
      return new MockServer(this);
    }
  }
}
