package dev.backoff4j.openai.sdk;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.OpenAIClientAsyncImpl;
import com.openai.client.OpenAIClientImpl;
import com.openai.client.okhttp.OkHttpClient;
import com.openai.core.ClientOptions;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.http.Interceptor;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.internal.PacingInterceptor;
import dev.backoff4j.openai.sdk.internal.BridgeHttpClient;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.time.TimeSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Official {@code openai-java} clients whose HTTP calls run through backoff4j: the same pipeline and
 * retry policy as backoff4j's own client, under the SDK's API.
 *
 * <pre>{@code
 * OpenAIClient client = Backoff4jOpenAI.builder()
 *     .fromEnv()                                   // OPENAI_API_KEY, OPENAI_BASE_URL, ...
 *     .build();                                    // OpenAiRetryPolicy preset, SDK retries off
 * ChatCompletion reply = client.chat().completions().create(params);
 * }</pre>
 *
 * <p>The SDK's own retries are switched off ({@code maxRetries(0)}), so nothing is retried twice. A
 * final error still surfaces as the SDK's own exception ({@code RateLimitException},
 * {@code InternalServerException}, ...), its headers carrying {@link #ATTEMPTS_HEADER},
 * {@link #GAVE_UP_HEADER} and, when a server hint was refused, {@link #REJECTED_HINT_HEADER}; the
 * full history goes to the policy's listeners. A final network failure or timeout surfaces as
 * {@code OpenAIIoException} caused by backoff4j's exception, from which
 * {@code RetryHistory.of(e)} reads the history.
 *
 * <p>For code that calls an SDK client it did not build, wrap calls instead:
 * {@code retryPolicy().get(() -> client.chat().completions().create(params))}, classified by
 * {@link SdkExceptionClassifier}. Never both: retries would multiply.
 */
public final class Backoff4jOpenAI {

  /** Response header added to a final error: how many attempts were made. */
  public static final String ATTEMPTS_HEADER = "x-backoff4j-attempts";
  /** Response header added to a final error: the {@link dev.backoff4j.retry.GiveUpReason} name. */
  public static final String GAVE_UP_HEADER = "x-backoff4j-gave-up";
  /** Response header added to a final error when the server's hint was too long: the hint in ms. */
  public static final String REJECTED_HINT_HEADER = "x-backoff4j-rejected-hint-ms";

  private Backoff4jOpenAI() {}

  /** Settings for a bridged client; nothing is read from the environment unless asked ({@link Builder#fromEnv()}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The {@link OpenAiRetryPolicy} preset classifying the SDK's exceptions, for wrapping calls to a
   * plain SDK client: {@code policy.get(() -> client.chat().completions().create(params))}.
   */
  public static RetryPolicy<Object> retryPolicy() {
    return retryPolicyBuilder(TimeSource.system()).build();
  }

  /** {@link #retryPolicy()} as a builder on {@code time} (a {@code VirtualTime} in tests). */
  public static RetryPolicyBuilder<Object> retryPolicyBuilder(TimeSource time) {
    return OpenAiRetryPolicy.builder(time).classifier(SdkExceptionClassifier.using(time));
  }

  /**
   * Settings of a bridged client. Setters only record; {@link #build()} and {@link #buildAsync()}
   * validate, naming the bad setting. Reusable: each build makes a new client with a new transport.
   * Not thread-safe.
   */
  public static final class Builder {

    private boolean fromEnv;
    private String baseUrl;
    private String apiKey;
    private String organization;
    private String project;
    private Duration timeout;
    private RetryPolicy<Object> retryPolicy;
    private final List<Interceptor> interceptors = new ArrayList<>();
    private Pacer pacer;
    private final List<Consumer<ClientOptions.Builder>> clientOptions = new ArrayList<>();
    private final List<Consumer<OkHttpClient.Builder>> transport = new ArrayList<>();

    private Builder() {}

    /**
     * Reads the SDK's variables first ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL},
     * {@code OPENAI_ORG_ID}, ... and their {@code openai.*} system properties), as
     * {@code OpenAIOkHttpClient.fromEnv()} does; explicit setters win.
     */
    public Builder fromEnv() {
      this.fromEnv = true;
      return this;
    }

    /** The API root, e.g. {@code http://127.0.0.1:8000/v1}. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** The key; the SDK sends it. Never shown by this builder. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    public Builder organization(String organization) {
      this.organization = organization;
      return this;
    }

    public Builder project(String project) {
      this.project = project;
      return this;
    }

    /**
     * The retry policy ({@code null} restores the {@link OpenAiRetryPolicy} preset, with a new retry
     * budget per client). Start from {@link OpenAiRetryPolicy#builder} to keep OpenAI's
     * classification; a policy passed here shares its budget among the clients built with it.
     */
    public Builder retryPolicy(RetryPolicy<Object> retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /**
     * The longest one attempt may take, > 0; replaces the policy's {@code attemptTimeout}. Each
     * attempt also gets at most the SDK's own timeouts and the time left before the deadline.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** A step before the retry step, seeing each logical request once. In order added. */
    public Builder addInterceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Paces every attempt, retries included, from the rate-limit headers it sees: the same pacer, in
     * the same place in the pipeline, as {@code OpenAiClientBuilder.pacer}. Share one pacer between
     * clients that share an API key. {@code null} for none (the default).
     */
    public Builder pacer(Pacer pacer) {
      this.pacer = pacer;
      return this;
    }

    /**
     * Any other SDK setting (headers, Azure, JSON mapper, ...), applied after the setters above.
     * {@code httpClient} and {@code maxRetries} are then overwritten: the bridge owns them.
     */
    public Builder clientOptions(Consumer<ClientOptions.Builder> customizer) {
      clientOptions.add(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    /** Settings of the SDK's OkHttp transport: proxy, TLS, connection pool, OkHttp interceptors. */
    public Builder transport(Consumer<OkHttpClient.Builder> customizer) {
      transport.add(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    /** A blocking client. @throws IllegalArgumentException naming an invalid setting */
    public OpenAIClient build() {
      return new OpenAIClientImpl(options());
    }

    /** A non-blocking client. @throws IllegalArgumentException naming an invalid setting */
    public OpenAIClientAsync buildAsync() {
      return new OpenAIClientAsyncImpl(options());
    }

    private ClientOptions options() {
      check(baseUrl == null || isHttpUrl(baseUrl), "baseUrl", "must be an absolute http(s) URL, was " + baseUrl);
      check(apiKey == null || (!apiKey.isBlank() && apiKey.chars().noneMatch(Character::isWhitespace)), "apiKey",
          "must be non-blank without whitespace");
      check(timeout == null || (!timeout.isNegative() && !timeout.isZero()), "timeout",
          "must be positive, was " + timeout);
      RetryPolicy<Object> policy = retryPolicy != null ? retryPolicy : OpenAiRetryPolicy.defaults();
      if (timeout != null) {
        policy = policy.toBuilder().attemptTimeout(timeout).build();
      }

      ClientOptions.Builder options = ClientOptions.builder();
      if (fromEnv) {
        options.fromEnv();
      }
      if (baseUrl != null) {
        options.baseUrl(baseUrl);
      }
      if (apiKey != null) {
        options.apiKey(apiKey);
      }
      if (organization != null) {
        options.organization(organization);
      }
      if (project != null) {
        options.project(project);
      }
      clientOptions.forEach(customizer -> customizer.accept(options));
      OkHttpClient.Builder okHttp = OkHttpClient.builder();
      transport.forEach(customizer -> customizer.accept(okHttp));
      List<Interceptor> perAttempt =
          pacer == null ? List.of() : List.of(new PacingInterceptor(pacer, policy.asyncExecutor()));
      BridgeHttpClient bridge = new BridgeHttpClient(okHttp.build(), interceptors, perAttempt, policy);
      try {
        return options.httpClient(bridge).maxRetries(0).build();
      } catch (RuntimeException e) {
        bridge.close();
        throw e;
      }
    }

    private static boolean isHttpUrl(String url) {
      try {
        URI uri = URI.create(url);
        return uri.isAbsolute() && uri.getHost() != null
            && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    private static void check(boolean valid, String setting, String rule) {
      if (!valid) {
        throw new IllegalArgumentException("openai sdk bridge setting '" + setting + "' " + rule);
      }
    }

    /** The settings, never the key. */
    @Override
    public String toString() {
      return "Backoff4jOpenAI.Builder[baseUrl=" + (baseUrl == null ? (fromEnv ? "from env" : "default") : baseUrl)
          + ", apiKey=" + (apiKey != null ? "set" : fromEnv ? "from env" : "unset")
          + ", timeout=" + timeout + ", retryPolicy=" + (retryPolicy == null ? "preset" : retryPolicy)
          + ", interceptors=" + interceptors.size() + ", pacer=" + (pacer != null) + "]";
    }
  }
}
