package dev.backoff4j.langchain4j;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.langchain4j.internal.Backoff4jHttpClient;
import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.OpenAiPipelineBuilder;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.StreamWatch;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.time.TimeSource;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * backoff4j as LangChain4j's HTTP client. Give it to any model builder that takes an
 * {@code httpClientBuilder}, and each of that model's requests runs through one backoff4j
 * {@link OpenAiPipeline}: OpenAI's classification with headers ({@code insufficient_quota} is final,
 * {@code x-should-retry} is obeyed), the server's {@code retry-after-ms} / {@code Retry-After} hints,
 * an overall deadline, a retry budget and, if set, a pacer.
 *
 * <pre>{@code
 * OpenAiChatModel model = OpenAiChatModel.builder()
 *     .httpClientBuilder(new Backoff4jHttpClientBuilder())   // the OpenAiRetryPolicy preset
 *     .apiKey(key).modelName("gpt-4o-mini")
 *     .build();                                             // its maxRetries can stay as it is
 * }</pre>
 *
 * <p><b>Exactly once.</b> What the client throws for a final failure is a LangChain4j
 * {@link dev.langchain4j.exception.NonRetriableException} (see {@link Backoff4jFailure}), so the
 * model's own retry loop ({@code maxRetries}, 2 by default) rethrows it at once instead of starting
 * backoff4j's retries over; a 2xx whose JSON does not parse is failed inside backoff4j too, for the
 * same reason. Streams are retried until their first event and never after it.
 *
 * <p><b>Timeouts.</b> A model sets {@link #connectTimeout} and {@link #readTimeout} on this builder
 * every time it builds (its {@code timeout(...)}, else 15 s and 60 s), overwriting what was set here:
 * set them on the model. The read timeout limits each attempt (for a stream: until its first event,
 * then each silence); the retry policy's {@code attemptTimeout}, if shorter, still applies, and its
 * {@code maxElapsed} deadline bounds the whole call, retries and waits included.
 *
 * <p><b>Sharing.</b> Each {@link #build()} (one per model) makes a client with its own pipeline, retry
 * budget and connections; a pacer (and the other objects given here) is shared by every client built
 * from this builder, which is what one API key wants. LangChain4j signs its requests itself and names
 * the URL; this builder has no key or base URL. Not thread-safe; build models from it one at a time.
 *
 * <p>Not registered with LangChain4j's service loader, so adding this module never makes LangChain4j
 * find two HTTP clients; see {@link Backoff4jHttpClientBuilderFactory} to make it the default.
 */
public final class Backoff4jHttpClientBuilder implements HttpClientBuilder {

  /** Where {@link InvalidSettingException}s say the setting belongs. */
  static final String COMPONENT = "backoff4j langchain4j http client";

  /** The connect timeout when none is set: a model always sets one. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private RetryPolicy<Object> retryPolicy;
  private Pacer pacer;
  private OutageGate.Settings outageGate = OutageGate.defaults();
  /** The gate every client built from this builder shares, made at the first build. */
  private OutageGate gate;
  private Transport transport;
  private Duration connectTimeout;
  private Duration readTimeout;
  private final List<Interceptor> interceptors = new ArrayList<>();
  private final List<Interceptor> attemptInterceptors = new ArrayList<>();
  private final List<CallListener.Factory> listeners = new ArrayList<>();

  /** The {@link OpenAiRetryPolicy} preset, no pacer, no listeners. */
  public Backoff4jHttpClientBuilder() {}

  /**
   * The retry policy; start from {@link OpenAiRetryPolicy#builder} to keep OpenAI's classification.
   * Each built client makes its own retry budget from the policy's budget settings (share one with
   * {@code sharedBudget}). {@code null} restores the preset.
   */
  public Backoff4jHttpClientBuilder retryPolicy(RetryPolicy<Object> retryPolicy) {
    this.retryPolicy = retryPolicy;
    return this;
  }

  /**
   * Paces every attempt, retries included, from the rate-limit headers it sees, so a busy key waits
   * before sending instead of collecting 429s. One pacer per API key, shared by the models using it
   * (every model built from this builder shares it). {@code null} for none (the default).
   *
   * @throws IllegalArgumentException at {@link #build()} for a pacer not made by {@link Pacer#builder()}
   */
  public Backoff4jHttpClientBuilder pacer(Pacer pacer) {
    this.pacer = pacer;
    return this;
  }

  /**
   * The outage gate's settings ({@link OutageGate#defaults()} unless set): when the endpoint keeps
   * failing, calls wait at the gate within their deadline while one probe at a time tries it. One gate
   * is shared by every client (so every model) built from this builder. {@link OutageGate#disabled()}
   * for none. See {@code OpenAiPipelineBuilder.outageGate}.
   */
  public Backoff4jHttpClientBuilder outageGate(OutageGate.Settings settings) {
    this.outageGate = Objects.requireNonNull(settings, "outageGate");
    this.gate = null;
    return this;
  }

  /**
   * This very gate for every client built from this builder, instead of one made from the
   * {@link #outageGate settings} at the first build: to share it with other clients (the SDK bridge's
   * {@code sharedOutageGate}), or to publish its state as meters
   * ({@code Backoff4jMetrics.bindGate(gate)} in backoff4j-micrometer). Make it with
   * {@code OutageGate.settings()...build().newGate(timeSource)}, on the retry policy's time source.
   * {@link #outageGate} replaces it again.
   */
  public Backoff4jHttpClientBuilder sharedOutageGate(OutageGate gate) {
    this.gate = Objects.requireNonNull(gate, "sharedOutageGate");
    this.outageGate = OutageGate.defaults(); // enabled: build() then uses the gate as it is
    return this;
  }

  /** Tells {@code listener} the events of every call (start, attempts, retries, outcome). */
  public Backoff4jHttpClientBuilder listener(CallListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(request -> listener);
    return this;
  }

  /** Makes a listener for each call, for per-call state such as a tracing span. */
  public Backoff4jHttpClientBuilder listenerFactory(CallListener.Factory factory) {
    listeners.add(Objects.requireNonNull(factory, "factory"));
    return this;
  }

  /** A step before the retry step, seeing each call once; see {@link OpenAiPipelineBuilder#addInterceptor}. */
  public Backoff4jHttpClientBuilder addInterceptor(Interceptor interceptor) {
    interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /** A step run for every attempt; see {@link OpenAiPipelineBuilder#addAttemptInterceptor}. */
  public Backoff4jHttpClientBuilder addAttemptInterceptor(Interceptor interceptor) {
    attemptInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /**
   * The HTTP transport (a proxy, custom TLS: {@code new JdkHttpTransport(yourHttpClient)}); {@code null}
   * (the default) makes a new {@link dev.backoff4j.openai.http.JdkHttpTransport} for each client, with
   * {@link #connectTimeout}. A transport given here is shared by every client built, and its own
   * connect timeout applies.
   */
  public Backoff4jHttpClientBuilder transport(Transport transport) {
    this.transport = transport;
    return this;
  }

  /** The connect timeout set last (by the model, usually); {@code null} if none. */
  @Override
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * The longest a connection may take to open, > 0; {@code null} for {@link #DEFAULT_CONNECT_TIMEOUT}.
   * LangChain4j's models set it on every build (see the class comment).
   */
  @Override
  public Backoff4jHttpClientBuilder connectTimeout(Duration connectTimeout) {
    this.connectTimeout = positive("connectTimeout", connectTimeout);
    return this;
  }

  /** The read timeout set last (by the model, usually); {@code null} if none. */
  @Override
  public Duration readTimeout() {
    return readTimeout;
  }

  /**
   * The longest one attempt may take once sent, > 0 (for a stream: until its first event, then the
   * longest silence); the retry policy's {@code attemptTimeout} still applies when it is shorter.
   * {@code null} leaves the policy's alone. LangChain4j's models set it on every build.
   */
  @Override
  public Backoff4jHttpClientBuilder readTimeout(Duration readTimeout) {
    this.readTimeout = positive("readTimeout", readTimeout);
    return this;
  }

  /**
   * A client with its own pipeline (and so its own retry budget and, unless {@link #transport} was set,
   * its own connections).
   *
   * @throws IllegalArgumentException for a pacer not made by {@link Pacer#builder()}
   */
  @Override
  public HttpClient build() {
    OpenAiPipelineBuilder settings = OpenAiPipeline.builder()
        .signRequests(false)            // LangChain4j signs its own requests
        .environment(name -> null)      // and names every URL: no OPENAI_* variable applies
        .retryPolicy(retryPolicy)
        .timeout(attemptTimeout().orElse(null))
        .connectTimeout(connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT)
        .pacer(pacer);
    if (transport != null) {
      settings.transport(transport);
    }
    interceptors.forEach(settings::addInterceptor);
    attemptInterceptors.forEach(settings::addAttemptInterceptor);
    listeners.forEach(settings::listenerFactory);
    TimeSource time = retryPolicy != null ? retryPolicy.timeSource() : TimeSource.system();
    if (outageGate.enabled()) {
      if (gate == null) {
        gate = outageGate.newGate(time);
      }
      settings.sharedOutageGate(gate);
    } else {
      settings.outageGate(outageGate);
    }
    return Backoff4jHttpClient.create(settings, new StreamWatch(time, attemptTimeout().or(this::policyAttemptTimeout)));
  }

  /** The shorter of the read timeout and the policy's attempt timeout; empty leaves the policy's. */
  private Optional<Duration> attemptTimeout() {
    if (readTimeout == null) {
      return Optional.empty();
    }
    return Optional.of(policyAttemptTimeout().filter(limit -> limit.compareTo(readTimeout) < 0).orElse(readTimeout));
  }

  private Optional<Duration> policyAttemptTimeout() {
    return retryPolicy != null ? retryPolicy.attemptTimeout() : Optional.of(OpenAiRetryPolicy.ATTEMPT_TIMEOUT);
  }

  private static Duration positive(String setting, Duration value) {
    InvalidSettingException.check(value == null || (!value.isNegative() && !value.isZero()), COMPONENT, setting,
        "must be positive", value);
    return value;
  }

  @Override
  public String toString() {
    return "Backoff4jHttpClientBuilder[retryPolicy=" + (retryPolicy == null ? "preset" : retryPolicy)
        + ", pacer=" + (pacer != null) + ", outageGate=" + outageGate + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
        + ", interceptors=" + interceptors.size() + "+" + attemptInterceptors.size() + ", listeners="
        + listeners.size() + "]";
  }
}
