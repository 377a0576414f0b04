package dev.backoff4j.openai;

import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.gate.internal.DefaultOutageGate;
import dev.backoff4j.openai.gate.internal.GateRegistry;
import dev.backoff4j.openai.http.JdkHttpTransport;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.StreamWatch;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.openai.internal.AttemptStep;
import dev.backoff4j.openai.internal.BlockingReads;
import dev.backoff4j.openai.internal.GateStep;
import dev.backoff4j.openai.internal.Listeners;
import dev.backoff4j.openai.internal.PacingStep;
import dev.backoff4j.openai.internal.ResponseCheckStep;
import dev.backoff4j.openai.internal.RetryStep;
import dev.backoff4j.openai.internal.StepChain;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.internal.DefaultPacer;
import dev.backoff4j.openai.spi.SharedPacingStore;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one assembly of backoff4j's request path for OpenAI-compatible APIs, which every front door
 * shares — the lean {@link OpenAiClient}, the bridge into the official SDK, the CLI and the framework
 * integrations — so they cannot drift apart:
 *
 * <pre>
 * caller → your interceptors → [pricing] → retry → [outage gate] → [pacer] → your attempt interceptors
 *        → attempt (timeout, credentials) → response check → transport
 * </pre>
 *
 * <ul>
 *   <li><b>your interceptors</b> see each call once ({@link OpenAiPipelineBuilder#addInterceptor});
 *   <li><b>retry</b> runs the rest once per attempt under the retry policy, with OpenAI's
 *       classification, hints and deadline, and tells the call's {@link dev.backoff4j.openai.http.CallListener};
 *   <li><b>outage gate</b> holds each attempt while the endpoint is failing (one probe at a time, then
 *       slow start), within the deadline, and counts each outcome; one per endpoint
 *       ({@link dev.backoff4j.openai.gate.OutageGate});
 *   <li><b>pacer</b> holds each attempt until the server's limits can take it (within the deadline) and
 *       learns from every response; the call was priced once before the retries;
 *   <li><b>attempt</b> starts the attempt's timeout (waits before it do not count) and signs the
 *       request, unless the client above signs its own;
 *   <li><b>response check</b> turns an error status into its typed exception and reads the part of a
 *       success that may still fail (a whole body, at most {@code maxResponseBytes}; a stream up to its
 *       first output event) inside the attempt.
 * </ul>
 *
 * <p>Immutable and thread-safe; share one per configuration (it owns a connection pool and a retry
 * budget). {@link #newBuilder()} derives a variant that shares the transport.
 */
public final class OpenAiPipeline {

  private final OpenAiPipelineBuilder settings;
  private final Endpoint endpoint;
  private final RetryPolicy<Object> retryPolicy;
  private final Optional<Pacer> pacer;
  private final GateRegistry gates;
  private final Optional<OutageGate> outageGate;
  private final StreamWatch streamWatch;
  private final StepChain chain;

  OpenAiPipeline(OpenAiPipelineBuilder builder, Endpoint endpoint) {
    this.settings = builder.copy();
    this.endpoint = endpoint;
    RetryPolicy<Object> given = builder.retryPolicy != null ? builder.retryPolicy : OpenAiRetryPolicy.defaults();
    // The pipeline's own policy (and, from its settings, its own budget), with this pipeline's timeout.
    this.retryPolicy = builder.timeout != null
        ? given.toBuilder().attemptTimeout(builder.timeout).build()
        : given.toBuilder().build();
    Optional<Duration> attemptTimeout = retryPolicy.attemptTimeout();
    // The engine leaves the attempt timeout to the attempt step, so waits before sending count only
    // against the deadline; it shares the visible policy's budget.
    RetryPolicy<Object> engine = retryPolicy.toBuilder().attemptTimeout(null)
        .sharedBudget(retryPolicy.budget().orElse(null)).build();
    this.pacer = Optional.ofNullable(builder.pacer);
    this.streamWatch = new StreamWatch(retryPolicy.timeSource(), attemptTimeout);

    List<Interceptor> steps = new ArrayList<>(builder.interceptors);
    DefaultPacer paced = builder.pacer == null ? null : defaultPacer(builder.pacer);
    if (paced != null) {
      steps.add(PacingStep.estimateOnce(paced));
    }
    this.gates = builder.inheritedGates != null ? builder.inheritedGates : new GateRegistry();
    DefaultOutageGate gate = builder.sharedOutageGate != null ? defaultGate(builder.sharedOutageGate)
        : builder.outageGate.enabled()
            ? gates.gateFor(endpoint.baseUrl(), endpoint.apiKey(), builder.outageGate, engine.timeSource())
            : null;
    this.outageGate = Optional.ofNullable(gate);
    steps.add(new RetryStep(engine, Listeners.allOf(builder.listeners), gate != null));
    if (gate != null) {
      steps.add(new GateStep(gate, engine.asyncExecutor()));
    }
    if (paced != null) {
      steps.add(new PacingStep(paced, engine.asyncExecutor(),
          paced.sharedStore().isPresent() ? sharedAccount(endpoint) : null));
    }
    steps.addAll(builder.attemptInterceptors);
    steps.add(new AttemptStep(attemptTimeout, builder.signRequests ? endpoint.headers() : Map.of()));
    steps.add(new ResponseCheckStep(engine.timeSource(), BlockingReads.executor(), builder.maxResponseBytes));
    Transport transport = builder.transport != null ? builder.transport
        : builder.inheritedTransport != null && !builder.connectTimeoutSet && !builder.maxConnectionsPerHostSet
            ? builder.inheritedTransport
        : JdkHttpTransport.builder().connectTimeout(builder.connectTimeout)
            .maxConnectionsPerHost(builder.maxConnectionsPerHost).build();
    this.chain = new StepChain(steps, transport);
  }

  /**
   * Whose limits the requests count against, for a pacer that shares them: OpenAI counts limits per
   * organisation (and project) when the request names one, else per key. Only a digest is kept.
   */
  private static SharedPacingStore.Scope sharedAccount(Endpoint endpoint) {
    String account;
    if (endpoint.organization() != null && !endpoint.organization().isBlank()) {
      account = "organization:" + endpoint.organization()
          + (endpoint.project() != null && !endpoint.project().isBlank() ? "/project:" + endpoint.project() : "");
    } else {
      account = "key:" + (endpoint.apiKey() == null ? "" : endpoint.apiKey());
    }
    return SharedPacingStore.Scope.of(endpoint.baseUrl(), account, "");
  }

  private static DefaultPacer defaultPacer(Pacer pacer) {
    if (pacer instanceof DefaultPacer built) {
      return built;
    }
    throw new IllegalArgumentException("openai client setting 'pacer' must be made by Pacer.builder(), was " + pacer);
  }

  private static DefaultOutageGate defaultGate(OutageGate gate) {
    if (gate instanceof DefaultOutageGate made) {
      return made;
    }
    throw new IllegalArgumentException(
        "openai client setting 'sharedOutageGate' must be made by OutageGate.Settings.newGate, was " + gate);
  }

  /** Starts settings; see {@link OpenAiPipelineBuilder} for the defaults. */
  public static OpenAiPipelineBuilder builder() {
    return new OpenAiPipelineBuilder();
  }

  /**
   * A builder holding this pipeline's settings that keeps its transport, and so its connection pool
   * (OkHttp's {@code newBuilder()}); a new {@link OpenAiPipelineBuilder#transport transport} or
   * {@link OpenAiPipelineBuilder#connectTimeout connect timeout} replaces it. The derived pipeline has
   * its own retry budget, and shares this one's outage gates: requests to the same endpoint wait at
   * the same gate.
   */
  public OpenAiPipelineBuilder newBuilder() {
    OpenAiPipelineBuilder builder = settings.copy();
    builder.connectTimeoutSet = false;
    builder.maxConnectionsPerHostSet = false;
    builder.inheritedGates = gates;
    if (builder.transport == null) {
      builder.inheritedTransport = chain.transport();
    }
    return builder;
  }

  /** Runs {@code request} through every step, blocking. */
  public Response execute(Request request) {
    return chain.execute(request);
  }

  /** Runs {@code request} through every step without blocking; cancelling the future cancels the call. */
  public CompletableFuture<Response> executeAsync(Request request) {
    return chain.executeAsync(request);
  }

  /** The API root requests are made under, e.g. {@code https://api.openai.com/v1}. */
  public String baseUrl() {
    return endpoint.baseUrl();
  }

  /**
   * The URL of {@code path} (such as {@code /chat/completions}) under the base URL, with Azure's
   * {@code api-version} when configured.
   */
  public URI url(String path) {
    String joined = endpoint.baseUrl() + (path.startsWith("/") ? path : "/" + path);
    if (endpoint.azureApiVersion() != null) {
      joined += (joined.contains("?") ? "&" : "?") + "api-version=" + endpoint.azureApiVersion();
    }
    return URI.create(joined);
  }

  /** The retry policy in force: the one given (or the preset) with this pipeline's timeout and budget. */
  public RetryPolicy<Object> retryPolicy() {
    return retryPolicy;
  }

  public Optional<Pacer> pacer() {
    return pacer;
  }

  /**
   * The gate every request of this pipeline passes (state, waiting requests, since when the endpoint
   * fails: {@link OutageGate#stats()}); empty with {@link OutageGate#disabled()}.
   */
  public Optional<OutageGate> outageGate() {
    return outageGate;
  }

  /**
   * How long a stream may go without a {@code data:} line once started (the attempt timeout), on the
   * policy's clock, without a deadline: {@link StreamWatch#withDeadline} adds the policy's
   * {@code maxElapsed} when a call begins, as {@link #streamWatchForCall()} does.
   */
  public StreamWatch streamWatch() {
    return streamWatch;
  }

  /**
   * The watch for a stream whose call begins now: the idle timeout, and the retry policy's
   * {@code maxElapsed} as the deadline of the whole stream.
   */
  public StreamWatch streamWatchForCall() {
    return streamWatch.withDeadline(retryPolicy.maxElapsed());
  }

  public Transport transport() {
    return chain.transport();
  }

  /** Where and as whom requests go, as resolved from the settings and the environment. */
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public String toString() {
    return "OpenAiPipeline[" + endpoint + ", " + chain.steps().size() + " steps, " + chain.transport() + "]";
  }

  /**
   * Where and as whom requests go.
   *
   * @param baseUrl the API root, without a trailing slash
   * @param apiKey the key, or {@code null} for none; never shown by {@link #toString()}
   * @param organization sent as {@code OpenAI-Organization}, or {@code null}
   * @param project sent as {@code OpenAI-Project}, or {@code null}
   * @param azure whether the key goes in Azure's {@code api-key} header
   * @param azureApiVersion Azure's {@code api-version} query parameter, or {@code null}
   */
  public record Endpoint(String baseUrl, String apiKey, String organization, String project, boolean azure,
      String azureApiVersion) {

    /** The headers that sign a request: the credential, organization, project and {@code User-Agent}. */
    Map<String, String> headers() {
      Map<String, String> headers = new LinkedHashMap<>();
      if (apiKey != null) {
        headers.put(azure ? "api-key" : "authorization", azure ? apiKey : "Bearer " + apiKey);
      }
      if (organization != null) {
        headers.put("openai-organization", organization);
      }
      if (project != null) {
        headers.put("openai-project", project);
      }
      headers.put("user-agent", Version.userAgent());
      return headers;
    }

    /** The base URL and whether a key is set; never the key. */
    @Override
    public String toString() {
      return baseUrl + ", " + (apiKey == null ? "no key" : "key set") + (azure ? ", azure" : "");
    }
  }
}
