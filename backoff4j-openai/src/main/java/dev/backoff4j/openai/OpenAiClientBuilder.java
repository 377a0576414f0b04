package dev.backoff4j.openai;

import dev.backoff4j.openai.http.Interceptor;
import dev.backoff4j.openai.http.JdkHttpTransport;
import dev.backoff4j.openai.http.Pipeline;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.openai.internal.ApiCaller;
import dev.backoff4j.openai.internal.CredentialsInterceptor;
import dev.backoff4j.openai.internal.StreamWatch;
import dev.backoff4j.openai.internal.Version;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.internal.PacingInterceptor;
import dev.backoff4j.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of an {@link OpenAiClient}. Setters only record; {@link #build()} validates and names the
 * bad setting in its message. Not thread-safe.
 *
 * <p>Defaults: base URL {@code $OPENAI_BASE_URL}, else {@code https://api.openai.com/v1}; API key
 * {@code $OPENAI_API_KEY} (none: no credential header, as local servers want); connect timeout 10 s;
 * the {@link OpenAiRetryPolicy} preset (its per-attempt timeout 5 min), with a new retry budget per
 * client; {@link JdkHttpTransport}.
 */
public final class OpenAiClientBuilder {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  private String baseUrl;
  private String apiKey;
  private String organization;
  private String project;
  private boolean azure;
  private String azureApiVersion;
  private Duration timeout;
  private Duration connectTimeout = Duration.ofSeconds(10);
  private RetryPolicy<Object> retryPolicy;
  private Transport transport;
  private Pacer pacer;
  private final List<Interceptor> interceptors = new ArrayList<>();
  private Function<String, String> environment = System::getenv;

  OpenAiClientBuilder() {}

  OpenAiClientBuilder copy() {
    OpenAiClientBuilder copy = new OpenAiClientBuilder();
    copy.baseUrl = baseUrl;
    copy.apiKey = apiKey;
    copy.organization = organization;
    copy.project = project;
    copy.azure = azure;
    copy.azureApiVersion = azureApiVersion;
    copy.timeout = timeout;
    copy.connectTimeout = connectTimeout;
    copy.retryPolicy = retryPolicy;
    copy.transport = transport;
    copy.pacer = pacer;
    copy.interceptors.addAll(interceptors);
    copy.environment = environment;
    return copy;
  }

  /** The API root, e.g. {@code http://127.0.0.1:8000/v1}; paths such as {@code /chat/completions} go under it. */
  public OpenAiClientBuilder baseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
    return this;
  }

  /** The key, sent as {@code Authorization: Bearer} (or {@code api-key} for Azure). Never logged or shown. */
  public OpenAiClientBuilder apiKey(String apiKey) {
    this.apiKey = apiKey;
    return this;
  }

  /** Sent as {@code OpenAI-Organization}. */
  public OpenAiClientBuilder organization(String organization) {
    this.organization = organization;
    return this;
  }

  /** Sent as {@code OpenAI-Project}. */
  public OpenAiClientBuilder project(String project) {
    this.project = project;
    return this;
  }

  /**
   * Azure OpenAI style: the key goes in the {@code api-key} header, and {@code apiVersion} (if not
   * {@code null}) in the {@code api-version} query parameter. Set the base URL to the deployment, e.g.
   * {@code https://NAME.openai.azure.com/openai/deployments/DEPLOYMENT}.
   */
  public OpenAiClientBuilder azure(String apiVersion) {
    this.azure = true;
    this.azureApiVersion = apiVersion;
    return this;
  }

  /**
   * The longest one attempt may take, > 0; replaces the retry policy's {@code attemptTimeout}. An attempt
   * is also cut short by the policy's overall deadline. For a stream, the attempt ends at its first
   * event; after that, this is the longest the stream may go without sending a line.
   */
  public OpenAiClientBuilder timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** The longest a connection may take to open, > 0. Ignored with a custom {@link #transport}. */
  public OpenAiClientBuilder connectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
    return this;
  }

  /**
   * The retry policy; start from {@link OpenAiRetryPolicy#builder} to keep OpenAI's classification.
   * Its time source also serves {@code Retry-After} dates. {@code null} restores the preset.
   */
  public OpenAiClientBuilder retryPolicy(RetryPolicy<Object> retryPolicy) {
    this.retryPolicy = retryPolicy;
    return this;
  }

  /** Replaces the HTTP transport ({@code null} restores {@link JdkHttpTransport}). */
  public OpenAiClientBuilder transport(Transport transport) {
    this.transport = transport;
    return this;
  }

  /**
   * Paces every attempt (first tries and retries) to stay under the server's rate limits, and lets
   * every response teach the pacer, 429s included: the pacer goes inside the retry step, after the
   * interceptors added with {@link #addInterceptor}. Share one pacer between clients that share an
   * API key. {@code null} (the default) for none.
   */
  public OpenAiClientBuilder pacer(Pacer pacer) {
    this.pacer = pacer;
    return this;
  }

  /**
   * Adds a step before the retry step, so it sees each logical request once, however many attempts it
   * takes (a metrics recorder, tracing; a pacer goes in with {@link #pacer} instead, to see every
   * attempt). Steps run in the order added.
   */
  public OpenAiClientBuilder addInterceptor(Interceptor interceptor) {
    interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /** Where {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} are read; {@code System::getenv} by default. */
  public OpenAiClientBuilder environment(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
    return this;
  }

  /**
   * Validates and builds.
   *
   * @throws IllegalArgumentException naming the first invalid setting (never showing the key)
   */
  public OpenAiClient build() {
    String url = firstNonBlank(baseUrl, environment.apply("OPENAI_BASE_URL"), DEFAULT_BASE_URL);
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    checkBaseUrl(url);
    String key = firstNonBlank(apiKey, environment.apply("OPENAI_API_KEY"), null);
    check(key == null || key.chars().noneMatch(Character::isWhitespace), "apiKey", "must not contain whitespace");
    checkHeaderValue("organization", organization);
    checkHeaderValue("project", project);
    checkHeaderValue("azure apiVersion", azureApiVersion);
    check(timeout == null || (!timeout.isNegative() && !timeout.isZero()), "timeout", "must be positive, was " + timeout);
    check(connectTimeout != null && !connectTimeout.isNegative() && !connectTimeout.isZero(), "connectTimeout",
        "must be positive, was " + connectTimeout);

    RetryPolicy<Object> policy = retryPolicy != null ? retryPolicy : OpenAiRetryPolicy.defaults();
    if (timeout != null) {
      policy = policy.toBuilder().attemptTimeout(timeout).build();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (key != null) {
      headers.put(azure ? "api-key" : "authorization", azure ? key : "Bearer " + key);
    }
    if (organization != null) {
      headers.put("openai-organization", organization);
    }
    if (project != null) {
      headers.put("openai-project", project);
    }
    headers.put("user-agent", Version.userAgent());

    // The pacer sits inside the retry step so that every attempt, retries included, is paced and
    // every response teaches it.
    List<Interceptor> perAttempt = new ArrayList<>();
    if (pacer != null) {
      perAttempt.add(new PacingInterceptor(pacer, policy.asyncExecutor()));
    }
    perAttempt.add(new CredentialsInterceptor(headers));
    Transport wire = transport != null ? transport : JdkHttpTransport.create(connectTimeout);
    Pipeline pipeline = Pipeline.retrying(interceptors, policy, perAttempt, wire);
    StreamWatch streamWatch = new StreamWatch(policy.timeSource(), policy.attemptTimeout());
    ApiCaller api = new ApiCaller(url, azure ? azureApiVersion : null, pipeline, streamWatch);
    return new OpenAiClient(copy(), url, policy, api);
  }

  String describeAuth() {
    String key = firstNonBlank(apiKey, environment.apply("OPENAI_API_KEY"), null);
    return (key == null ? "no key" : "key set") + (azure ? ", azure" : "");
  }

  private static void checkBaseUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("openai client setting 'baseUrl' is not a URL: " + url, e);
    }
    check(uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        && uri.getHost() != null, "baseUrl", "must be an absolute http(s) URL, was " + url);
  }

  private static void checkHeaderValue(String setting, String value) {
    check(value == null || (!value.isBlank() && value.chars().noneMatch(c -> c == '\r' || c == '\n')), setting,
        "must be non-blank and on one line");
  }

  private static void check(boolean valid, String setting, String rule) {
    if (!valid) {
      throw new IllegalArgumentException("openai client setting '" + setting + "' " + rule);
    }
  }

  private static String firstNonBlank(String first, String second, String fallback) {
    if (first != null && !first.isBlank()) {
      return first.trim();
    }
    if (second != null && !second.isBlank()) {
      return second.trim();
    }
    return fallback;
  }
}
