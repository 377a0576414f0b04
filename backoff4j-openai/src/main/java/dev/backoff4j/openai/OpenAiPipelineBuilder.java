package dev.backoff4j.openai;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.gate.internal.GateRegistry;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.JdkHttpTransport;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.openai.spi.ResponseSizeLimit;
import dev.backoff4j.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of an {@link OpenAiPipeline}: the one place where every front door — the lean
 * {@link OpenAiClient}, the official SDK's bridged client, the CLI, the framework integrations — says
 * how calls are retried, paced, timed, signed and observed. Each setter checks its own value and
 * throws an {@link InvalidSettingException} naming itself; {@link #build()} reads the environment and
 * checks what depends on it. Not thread-safe; reusable (each build makes an independent pipeline).
 *
 * <p>Defaults: base URL {@code $OPENAI_BASE_URL}, else {@value #DEFAULT_BASE_URL}; API key
 * {@code $OPENAI_API_KEY}, organization {@code $OPENAI_ORG_ID}, project {@code $OPENAI_PROJECT_ID} (the
 * official SDKs' variables; blank ones count as unset; a setter always wins over the environment; with
 * no key no credential header is sent, as local servers want); the {@link OpenAiRetryPolicy} preset,
 * its attempt timeout 5 min; connect timeout 10 s; a new {@link JdkHttpTransport} with at most
 * {@value JdkHttpTransport#DEFAULT_MAX_CONNECTIONS_PER_HOST} exchanges per host; responses up to
 * {@linkplain ResponseSizeLimit#DEFAULT_MAX_BYTES 256 MiB} (each event of a stream too); no pacer; an
 * {@linkplain OutageGate outage gate} per endpoint with {@link OutageGate#defaults()}.
 */
public final class OpenAiPipelineBuilder {

  /** OpenAI's API root, used when neither {@link #baseUrl} nor {@code $OPENAI_BASE_URL} says otherwise. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** The environment variable read for the base URL. */
  public static final String ENV_BASE_URL = "OPENAI_BASE_URL";
  /** The environment variable read for the API key. */
  public static final String ENV_API_KEY = "OPENAI_API_KEY";
  /** The environment variable read for the organization. */
  public static final String ENV_ORGANIZATION = "OPENAI_ORG_ID";
  /** The environment variable read for the project. */
  public static final String ENV_PROJECT = "OPENAI_PROJECT_ID";

  static final String COMPONENT = "openai client";

  String baseUrl;
  String apiKey;
  String organization;
  String project;
  boolean azure;
  String azureApiVersion;
  boolean signRequests = true;
  Function<String, String> environment = System::getenv;
  RetryPolicy<Object> retryPolicy;
  Duration timeout;
  Duration connectTimeout = Duration.ofSeconds(10);
  boolean connectTimeoutSet;
  int maxConnectionsPerHost = JdkHttpTransport.DEFAULT_MAX_CONNECTIONS_PER_HOST;
  boolean maxConnectionsPerHostSet;
  ResponseSizeLimit maxResponseBytes = ResponseSizeLimit.DEFAULT;
  Transport transport;
  /** A transport handed down by {@link OpenAiPipeline#newBuilder()}, used unless replaced. */
  Transport inheritedTransport;
  Pacer pacer;
  OutageGate.Settings outageGate = OutageGate.defaults();
  OutageGate sharedOutageGate;
  /** The gates of the pipeline this builder was derived from ({@link OpenAiPipeline#newBuilder()}). */
  GateRegistry inheritedGates;
  final List<Interceptor> interceptors = new ArrayList<>();
  final List<Interceptor> attemptInterceptors = new ArrayList<>();
  final List<CallListener.Factory> listeners = new ArrayList<>();

  OpenAiPipelineBuilder() {}

  OpenAiPipelineBuilder copy() {
    OpenAiPipelineBuilder copy = new OpenAiPipelineBuilder();
    copy.baseUrl = baseUrl;
    copy.apiKey = apiKey;
    copy.organization = organization;
    copy.project = project;
    copy.azure = azure;
    copy.azureApiVersion = azureApiVersion;
    copy.signRequests = signRequests;
    copy.environment = environment;
    copy.retryPolicy = retryPolicy;
    copy.timeout = timeout;
    copy.connectTimeout = connectTimeout;
    copy.connectTimeoutSet = connectTimeoutSet;
    copy.maxConnectionsPerHost = maxConnectionsPerHost;
    copy.maxConnectionsPerHostSet = maxConnectionsPerHostSet;
    copy.maxResponseBytes = maxResponseBytes;
    copy.transport = transport;
    copy.inheritedTransport = inheritedTransport;
    copy.pacer = pacer;
    copy.outageGate = outageGate;
    copy.sharedOutageGate = sharedOutageGate;
    copy.inheritedGates = inheritedGates;
    copy.interceptors.addAll(interceptors);
    copy.attemptInterceptors.addAll(attemptInterceptors);
    copy.listeners.addAll(listeners);
    return copy;
  }

  /**
   * The API root, e.g. {@code http://127.0.0.1:8000/v1} (a trailing slash is dropped): what
   * {@link OpenAiPipeline#url(String)} resolves paths against. {@code null} restores the default.
   *
   * @throws InvalidSettingException unless an absolute http or https URL with a host
   */
  public OpenAiPipelineBuilder baseUrl(String baseUrl) {
    this.baseUrl = baseUrl == null ? null : checkUrl("baseUrl", baseUrl);
    return this;
  }

  /**
   * The key, sent as {@code Authorization: Bearer} (or {@code api-key} for Azure). Never logged or
   * shown. {@code null} falls back to {@code $OPENAI_API_KEY}.
   *
   * @throws InvalidSettingException if blank or containing whitespace (the message does not show it)
   */
  public OpenAiPipelineBuilder apiKey(String apiKey) {
    check(apiKey == null || (!apiKey.isBlank() && apiKey.chars().noneMatch(Character::isWhitespace)), "apiKey",
        "must be non-blank without whitespace (leave it unset to send no key)");
    this.apiKey = apiKey;
    return this;
  }

  /** Sent as {@code OpenAI-Organization}; {@code null} falls back to {@code $OPENAI_ORG_ID}. */
  public OpenAiPipelineBuilder organization(String organization) {
    this.organization = checkHeaderValue("organization", organization);
    return this;
  }

  /** Sent as {@code OpenAI-Project}; {@code null} falls back to {@code $OPENAI_PROJECT_ID}. */
  public OpenAiPipelineBuilder project(String project) {
    this.project = checkHeaderValue("project", project);
    return this;
  }

  /**
   * Azure OpenAI style: the key goes in the {@code api-key} header, and {@code apiVersion} (if not
   * {@code null}) in the {@code api-version} query parameter. Set the base URL to the deployment, e.g.
   * {@code https://NAME.openai.azure.com/openai/deployments/DEPLOYMENT}.
   */
  public OpenAiPipelineBuilder azure(String apiVersion) {
    this.azureApiVersion = checkHeaderValue("azure apiVersion", apiVersion);
    this.azure = true;
    return this;
  }

  /**
   * Whether the pipeline puts the credential and identity headers on each attempt (the default), or
   * leaves that to the client above it — the official SDK and LangChain4j sign their own requests.
   */
  public OpenAiPipelineBuilder signRequests(boolean signRequests) {
    this.signRequests = signRequests;
    return this;
  }

  /**
   * Where {@code OPENAI_*} variables are read; {@code System::getenv} by default, {@code name -> null}
   * to read none.
   */
  public OpenAiPipelineBuilder environment(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
    return this;
  }

  /**
   * The retry policy; start from {@link OpenAiRetryPolicy#builder} to keep OpenAI's classification.
   * Its time source also dates {@code Retry-After}, paces and watches streams. The pipeline makes its
   * own retry budget from the policy's {@linkplain RetryPolicy#budgetSettings() budget settings}, so two
   * pipelines built with one policy do not share one; to share, give the policy a
   * {@linkplain dev.backoff4j.retry.RetryPolicyBuilder#sharedBudget shared budget}. {@code null}
   * restores the preset.
   */
  public OpenAiPipelineBuilder retryPolicy(RetryPolicy<Object> retryPolicy) {
    this.retryPolicy = retryPolicy;
    return this;
  }

  /**
   * The longest one attempt may take once it is sent, > 0; replaces the retry policy's
   * {@code attemptTimeout}. Waits before sending (pacer, outage gate) do not count against it, only
   * against the policy's deadline, which also cuts an attempt short. For a stream, the attempt ends
   * at its first event; after that, this is the longest the stream may go without sending a line.
   * {@code null} keeps the policy's.
   */
  public OpenAiPipelineBuilder timeout(Duration timeout) {
    InvalidSettingException.check(timeout == null || isPositive(timeout), COMPONENT, "timeout", "must be positive",
        timeout);
    this.timeout = timeout;
    return this;
  }

  /** The longest a connection may take to open, > 0. For the default transport only. */
  public OpenAiPipelineBuilder connectTimeout(Duration connectTimeout) {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    InvalidSettingException.check(isPositive(connectTimeout), COMPONENT, "connectTimeout", "must be positive",
        connectTimeout);
    this.connectTimeout = connectTimeout;
    this.connectTimeoutSet = true;
    return this;
  }

  /**
   * The most exchanges in flight to one host, ≥ 1 (default
   * {@value JdkHttpTransport#DEFAULT_MAX_CONNECTIONS_PER_HOST}); more calls wait in line for a place,
   * without a thread and without failing, their timeout and cancel working as they wait. For the
   * default transport only (see {@link JdkHttpTransport.Builder#maxConnectionsPerHost}).
   */
  public OpenAiPipelineBuilder maxConnectionsPerHost(int maxConnectionsPerHost) {
    InvalidSettingException.check(maxConnectionsPerHost >= 1, COMPONENT, "maxConnectionsPerHost",
        "must be at least 1", maxConnectionsPerHost);
    this.maxConnectionsPerHost = maxConnectionsPerHost;
    this.maxConnectionsPerHostSet = true;
    return this;
  }

  /**
   * The most bytes a response may take, from 1 to {@value ResponseSizeLimit#MAX_BYTES} (default
   * {@value ResponseSizeLimit#DEFAULT_MAX_BYTES}, 256 MiB: room for the largest legitimate response,
   * an embeddings batch of 2,048 inputs × 3,072 dimensions, about 220 MB as OpenAI writes it; see
   * {@link ResponseSizeLimit#DEFAULT_MAX_BYTES}). For a stream, the most each event may take. Enforced
   * while reading: a larger success fails at once with a
   * {@link dev.backoff4j.openai.errors.MalformedResponseException} saying so, and is not retried (the
   * same request would get the same answer). Error bodies are cut, not refused.
   */
  public OpenAiPipelineBuilder maxResponseBytes(int maxResponseBytes) {
    InvalidSettingException.check(maxResponseBytes >= 1 && maxResponseBytes <= ResponseSizeLimit.MAX_BYTES,
        COMPONENT, "maxResponseBytes", "must be between 1 and " + ResponseSizeLimit.MAX_BYTES, maxResponseBytes);
    this.maxResponseBytes = new ResponseSizeLimit(maxResponseBytes);
    return this;
  }

  /**
   * The HTTP transport, the last link of the pipeline ({@code null} restores a new
   * {@link JdkHttpTransport}). A builder from {@link OpenAiPipeline#newBuilder()} keeps the pipeline's
   * transport (and so its connection pool) unless this, {@link #connectTimeout} or
   * {@link #maxConnectionsPerHost} replaces it.
   */
  public OpenAiPipelineBuilder transport(Transport transport) {
    this.transport = transport;
    this.inheritedTransport = null;
    return this;
  }

  /**
   * Paces every attempt (first tries and retries) to stay under the server's rate limits, and lets
   * every response teach the pacer, 429s included: the pacer goes inside the retry step. Share one
   * pacer between pipelines that share an API key. {@code null} (the default) for none.
   *
   * @throws IllegalArgumentException at {@link #build()} for a pacer not made by {@link Pacer#builder()}
   */
  public OpenAiPipelineBuilder pacer(Pacer pacer) {
    this.pacer = pacer;
    return this;
  }

  /**
   * How the pipeline's outage gate behaves ({@link OutageGate#defaults()} unless set): when the
   * endpoint keeps failing, requests wait at the gate — within their deadline, holding no thread on
   * the asynchronous path — while one probe at a time tries it, and the first success lets them
   * through in slow start. {@link OutageGate#disabled()} sends every request whatever the endpoint's
   * state (with the retry policy's {@code onBudgetExhausted(FAIL)}, the fail-fast choice). The
   * pipeline keeps one gate per endpoint (base URL origin and API key) for all its requests and for
   * the pipelines derived from it with {@link OpenAiPipeline#newBuilder()}. Replaces a
   * {@link #sharedOutageGate}.
   */
  public OpenAiPipelineBuilder outageGate(OutageGate.Settings settings) {
    this.outageGate = Objects.requireNonNull(settings, "outageGate");
    this.sharedOutageGate = null;
    return this;
  }

  /**
   * This very gate for every request, whatever the endpoint: the explicit way to let several pipelines
   * (or clients of other kinds) wait at one gate. Make it with {@code OutageGate.settings()...build()
   * .newGate(timeSource)}. Replaces the {@link #outageGate} settings; {@code null} restores them.
   *
   * @throws IllegalArgumentException at {@link #build()} for a gate not made by {@link OutageGate.Settings#newGate}
   */
  public OpenAiPipelineBuilder sharedOutageGate(OutageGate gate) {
    this.sharedOutageGate = gate;
    return this;
  }

  /**
   * Adds a step before the retry step, so it sees each call once, however many attempts it takes;
   * steps run in the order added. {@link dev.backoff4j.openai.http.Interceptors} makes the common ones.
   */
  public OpenAiPipelineBuilder addInterceptor(Interceptor interceptor) {
    interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /**
   * Adds a step that runs for every attempt, after the waits (pacer, outage gate) and before the
   * request is signed and sent; it sees error statuses as exceptions. In the order added.
   */
  public OpenAiPipelineBuilder addAttemptInterceptor(Interceptor interceptor) {
    attemptInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /** Tells {@code listener} the events of every call; see {@link CallListener}. */
  public OpenAiPipelineBuilder listener(CallListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(request -> listener);
    return this;
  }

  /** Makes a listener for each call, for per-call state such as a tracing span; see {@link CallListener}. */
  public OpenAiPipelineBuilder listenerFactory(CallListener.Factory factory) {
    listeners.add(Objects.requireNonNull(factory, "factory"));
    return this;
  }

  /**
   * Reads the environment, checks what depends on it and builds the pipeline.
   *
   * @throws InvalidSettingException naming the setting, or the environment variable, at fault (never
   *     showing a key)
   */
  public OpenAiPipeline build() {
    return new OpenAiPipeline(this, resolveEndpoint());
  }

  OpenAiPipeline.Endpoint resolveEndpoint() {
    String url = baseUrl != null ? baseUrl : fromEnvironment(ENV_BASE_URL);
    url = url == null ? DEFAULT_BASE_URL : checkUrl("$" + ENV_BASE_URL, url);
    String key = apiKey != null ? apiKey : fromEnvironment(ENV_API_KEY);
    check(key == null || key.chars().noneMatch(Character::isWhitespace), "$" + ENV_API_KEY,
        "must not contain whitespace");
    String org = organization != null ? organization : checkHeaderValue("$" + ENV_ORGANIZATION,
        fromEnvironment(ENV_ORGANIZATION));
    String proj = project != null ? project : checkHeaderValue("$" + ENV_PROJECT, fromEnvironment(ENV_PROJECT));
    return new OpenAiPipeline.Endpoint(url, key, org, proj, azure, azureApiVersion);
  }

  private String fromEnvironment(String name) {
    String value = environment.apply(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String checkUrl(String setting, String url) {
    String trimmed = url.trim();
    String withoutSlash = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    URI uri;
    try {
      uri = URI.create(withoutSlash);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(COMPONENT, setting, "is not a URL: " + url);
    }
    check(uri.isAbsolute() && uri.getHost() != null
        && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())), setting,
        "must be an absolute http(s) URL, was " + url);
    return withoutSlash;
  }

  private static String checkHeaderValue(String setting, String value) {
    check(value == null || (!value.isBlank() && value.chars().noneMatch(c -> c == '\r' || c == '\n')), setting,
        "must be non-blank and on one line");
    return value;
  }

  private static void check(boolean valid, String setting, String problem) {
    if (!valid) {
      throw new InvalidSettingException(COMPONENT, setting, problem);
    }
  }

  private static boolean isPositive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  /** The settings, never the key. */
  @Override
  public String toString() {
    return "OpenAiPipelineBuilder[baseUrl=" + (baseUrl == null ? "from environment or default" : baseUrl)
        + ", apiKey=" + (apiKey == null ? "from environment" : "set") + (azure ? ", azure" : "")
        + ", timeout=" + timeout + ", retryPolicy=" + (retryPolicy == null ? "preset" : retryPolicy)
        + ", maxResponseBytes=" + maxResponseBytes.maxBytes() + ", pacer=" + (pacer != null)
        + ", outageGate=" + (sharedOutageGate != null ? "shared" : outageGate)
        + ", interceptors=" + interceptors.size() + "+" + attemptInterceptors.size()
        + "]";
  }
}
