package dev.backoff4j.openai.sdk;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.OpenAIClientAsyncImpl;
import com.openai.client.OpenAIClientImpl;
import com.openai.client.okhttp.OkHttpClient;
import com.openai.core.ClientOptions;
import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.OpenAiPipelineBuilder;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.sdk.internal.BridgeHttpClient;
import dev.backoff4j.openai.sdk.internal.SdkTransport;
import dev.backoff4j.openai.sdk.internal.SdkVersionCheck;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Official {@code openai-java} clients whose HTTP calls run through backoff4j: the same pipeline and
 * retry policy as backoff4j's own client, under the SDK's API.
 *
 * <pre>{@code
 * OpenAIClient client = Backoff4jOpenAI.builder()   // $OPENAI_API_KEY, $OPENAI_BASE_URL, ...
 *     .build();                                    // OpenAiRetryPolicy preset, SDK retries off
 * ChatCompletion reply = client.chat().completions().create(params);
 * }</pre>
 *
 * <p>Each bridged client holds one {@link OpenAiPipeline}, built by the same
 * {@link OpenAiPipelineBuilder} as the lean client's, with the SDK's OkHttp transport as its last
 * link; the SDK signs its own requests, and each call's {@code RequestOptions} travel on the request.
 * The SDK's own retries are switched off ({@code maxRetries(0)}), so nothing is retried twice. A
 * final error still surfaces as the SDK's own exception ({@code RateLimitException},
 * {@code InternalServerException}, ...), its headers carrying {@link #ATTEMPTS_HEADER},
 * {@link #GAVE_UP_HEADER} and, when a server hint was refused, {@link #REJECTED_HINT_HEADER}; the
 * full history goes to the policy's listeners. A final network failure or timeout surfaces as
 * {@code OpenAIIoException} caused by backoff4j's exception, from which
 * {@code RetryHistory.of(e)} reads the history.
 *
 * <p><b>SDK versions.</b> The bridge runs on {@code com.openai:openai-java} 4.41.0 to 4.101.0 (the
 * lowest and the highest tested; later 4.x releases are accepted and logged once at {@code INFO}
 * through {@link System.Logger} {@code dev.backoff4j.openai.sdk}), with {@code openai-java-core} and
 * {@code openai-java-client-okhttp} at the same version. {@link Builder#build()} and
 * {@link Builder#buildAsync()} check that first and throw {@link UnsupportedSdkVersionException}
 * naming what they found, the range and the fix (import {@code dev.backoff4j:backoff4j-bom}). A
 * framework that depends on {@code openai-java-core} directly (Spring AI 2.0.1 brings 4.49.0) leaves
 * it beside the bridge's newer {@code openai-java-client-okhttp} unless the BOM aligns them. Jars
 * without the SDK's manifests (shaded) are checked by probing the classes the bridge needs.
 * WebSocket connections ({@code responses().connect()}, 4.65.0+) are handed to the SDK's transport
 * when the SDK has them.
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

  /** Settings for a bridged client, read from the environment as the lean client's are (see {@link Builder}). */
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
   * Settings of a bridged client: those of its {@link OpenAiPipeline} (the rules and defaults are the
   * lean client's, {@link OpenAiPipelineBuilder}: {@code $OPENAI_BASE_URL}, {@code $OPENAI_API_KEY},
   * {@code $OPENAI_ORG_ID} and {@code $OPENAI_PROJECT_ID} are read, setters win), plus the SDK's own
   * options and its OkHttp transport. Each setter checks its own value; {@link #build()} and
   * {@link #buildAsync()} read the environment. Reusable: each build makes a new client with a new
   * transport and retry budget. Not thread-safe.
   */
  public static final class Builder {

    private final OpenAiPipelineBuilder pipeline = OpenAiPipeline.builder().signRequests(false);
    private final List<Consumer<ClientOptions.Builder>> clientOptions = new ArrayList<>();
    private final List<Consumer<OkHttpClient.Builder>> transport = new ArrayList<>();

    private Builder() {}

    /** The API root, e.g. {@code http://127.0.0.1:8000/v1}; see {@link OpenAiPipelineBuilder#baseUrl}. */
    public Builder baseUrl(String baseUrl) {
      pipeline.baseUrl(baseUrl);
      return this;
    }

    /** The key; the SDK sends it. Never shown. See {@link OpenAiPipelineBuilder#apiKey}. */
    public Builder apiKey(String apiKey) {
      pipeline.apiKey(apiKey);
      return this;
    }

    public Builder organization(String organization) {
      pipeline.organization(organization);
      return this;
    }

    public Builder project(String project) {
      pipeline.project(project);
      return this;
    }

    /** Where {@code OPENAI_*} variables are read; see {@link OpenAiPipelineBuilder#environment}. */
    public Builder environment(Function<String, String> environment) {
      pipeline.environment(environment);
      return this;
    }

    /**
     * The retry policy ({@code null} restores the {@link OpenAiRetryPolicy} preset); each client makes
     * its own budget from the policy's budget settings. See {@link OpenAiPipelineBuilder#retryPolicy}.
     */
    public Builder retryPolicy(RetryPolicy<Object> retryPolicy) {
      pipeline.retryPolicy(retryPolicy);
      return this;
    }

    /**
     * The longest one attempt may take once sent, > 0; replaces the policy's {@code attemptTimeout}.
     * Each attempt also gets at most the SDK's own timeouts and the time left before the deadline.
     */
    public Builder timeout(Duration timeout) {
      pipeline.timeout(timeout);
      return this;
    }

    /** A step before the retry step, seeing each call once. In order added. */
    public Builder addInterceptor(Interceptor interceptor) {
      pipeline.addInterceptor(interceptor);
      return this;
    }

    /** A step run for every attempt; see {@link OpenAiPipelineBuilder#addAttemptInterceptor}. */
    public Builder addAttemptInterceptor(Interceptor interceptor) {
      pipeline.addAttemptInterceptor(interceptor);
      return this;
    }

    /**
     * Paces every attempt, retries included, from the rate-limit headers it sees: the same pacer, in
     * the same place in the pipeline, as the lean client's. Share one pacer between clients that
     * share an API key. {@code null} for none (the default).
     */
    public Builder pacer(Pacer pacer) {
      pipeline.pacer(pacer);
      return this;
    }

    /** Tells {@code listener} the events of every call; see {@link CallListener}. */
    public Builder listener(CallListener listener) {
      pipeline.listener(listener);
      return this;
    }

    /** Makes a listener per call; see {@link CallListener}. */
    public Builder listenerFactory(CallListener.Factory factory) {
      pipeline.listenerFactory(factory);
      return this;
    }

    /**
     * Any other SDK setting (headers, Azure, JSON mapper, the SDK's {@code fromEnv()}, ...), applied
     * after the settings above. {@code httpClient} and {@code maxRetries} are then overwritten: the
     * bridge owns them.
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

    /**
     * A blocking client.
     *
     * @throws dev.backoff4j.InvalidSettingException naming an invalid setting
     * @throws UnsupportedSdkVersionException when the SDK on the class path cannot run the bridge (see
     *     {@link Backoff4jOpenAI})
     */
    public OpenAIClient build() {
      return new OpenAIClientImpl(options());
    }

    /**
     * A non-blocking client.
     *
     * @throws dev.backoff4j.InvalidSettingException naming an invalid setting
     * @throws UnsupportedSdkVersionException when the SDK on the class path cannot run the bridge (see
     *     {@link Backoff4jOpenAI})
     */
    public OpenAIClientAsync buildAsync() {
      return new OpenAIClientAsyncImpl(options());
    }

    private ClientOptions options() {
      SdkVersionCheck.verifyClasspath(); // before anything loads the SDK's OkHttpClient
      OkHttpClient.Builder okHttpBuilder = OkHttpClient.builder();
      transport.forEach(customizer -> customizer.accept(okHttpBuilder));
      OkHttpClient okHttp = okHttpBuilder.build();
      BridgeHttpClient bridge;
      try {
        OpenAiPipeline bridged = pipeline.transport(new SdkTransport(okHttp)).build();
        bridge = new BridgeHttpClient(okHttp, bridged);
      } catch (RuntimeException e) {
        okHttp.close();
        throw e;
      }
      try {
        OpenAiPipeline.Endpoint endpoint = bridge.pipeline().endpoint();
        ClientOptions.Builder options = ClientOptions.builder().baseUrl(endpoint.baseUrl());
        if (endpoint.apiKey() != null) {
          options.apiKey(endpoint.apiKey());
        }
        if (endpoint.organization() != null) {
          options.organization(endpoint.organization());
        }
        if (endpoint.project() != null) {
          options.project(endpoint.project());
        }
        clientOptions.forEach(customizer -> customizer.accept(options));
        return options.httpClient(bridge.forSdk()).maxRetries(0).build();
      } catch (RuntimeException e) {
        bridge.close();
        throw e;
      }
    }

    /** The settings, never the key. */
    @Override
    public String toString() {
      return "Backoff4jOpenAI.Builder" + pipeline.toString().substring("OpenAiPipelineBuilder".length());
    }
  }
}
