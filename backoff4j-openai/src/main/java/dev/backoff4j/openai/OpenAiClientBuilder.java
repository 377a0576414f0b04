package dev.backoff4j.openai;

import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.retry.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of an {@link OpenAiClient}: those of its {@link OpenAiPipeline}, where each setter's rules
 * and the defaults are described ({@link OpenAiPipelineBuilder}). Each setter checks its own value;
 * {@link #build()} reads the environment. Not thread-safe; reusable.
 */
public final class OpenAiClientBuilder {

  /** OpenAI's API root, the default base URL. */
  public static final String DEFAULT_BASE_URL = OpenAiPipelineBuilder.DEFAULT_BASE_URL;

  private final OpenAiPipelineBuilder pipeline;

  OpenAiClientBuilder(OpenAiPipelineBuilder pipeline) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
  }

  /** See {@link OpenAiPipelineBuilder#baseUrl}. */
  public OpenAiClientBuilder baseUrl(String baseUrl) {
    pipeline.baseUrl(baseUrl);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#apiKey}. */
  public OpenAiClientBuilder apiKey(String apiKey) {
    pipeline.apiKey(apiKey);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#organization}. */
  public OpenAiClientBuilder organization(String organization) {
    pipeline.organization(organization);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#project}. */
  public OpenAiClientBuilder project(String project) {
    pipeline.project(project);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#azure}. */
  public OpenAiClientBuilder azure(String apiVersion) {
    pipeline.azure(apiVersion);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#timeout}. */
  public OpenAiClientBuilder timeout(Duration timeout) {
    pipeline.timeout(timeout);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#connectTimeout}. */
  public OpenAiClientBuilder connectTimeout(Duration connectTimeout) {
    pipeline.connectTimeout(connectTimeout);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#maxConnectionsPerHost}. */
  public OpenAiClientBuilder maxConnectionsPerHost(int maxConnectionsPerHost) {
    pipeline.maxConnectionsPerHost(maxConnectionsPerHost);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#maxResponseBytes}. */
  public OpenAiClientBuilder maxResponseBytes(int maxResponseBytes) {
    pipeline.maxResponseBytes(maxResponseBytes);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#retryPolicy}. */
  public OpenAiClientBuilder retryPolicy(RetryPolicy<Object> retryPolicy) {
    pipeline.retryPolicy(retryPolicy);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#transport}. */
  public OpenAiClientBuilder transport(Transport transport) {
    pipeline.transport(transport);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#pacer}. */
  public OpenAiClientBuilder pacer(Pacer pacer) {
    pipeline.pacer(pacer);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#outageGate}. */
  public OpenAiClientBuilder outageGate(OutageGate.Settings settings) {
    pipeline.outageGate(settings);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#sharedOutageGate}. */
  public OpenAiClientBuilder sharedOutageGate(OutageGate gate) {
    pipeline.sharedOutageGate(gate);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#addInterceptor}. */
  public OpenAiClientBuilder addInterceptor(Interceptor interceptor) {
    pipeline.addInterceptor(interceptor);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#addAttemptInterceptor}. */
  public OpenAiClientBuilder addAttemptInterceptor(Interceptor interceptor) {
    pipeline.addAttemptInterceptor(interceptor);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#listener}. */
  public OpenAiClientBuilder listener(CallListener listener) {
    pipeline.listener(listener);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#listenerFactory}. */
  public OpenAiClientBuilder listenerFactory(CallListener.Factory factory) {
    pipeline.listenerFactory(factory);
    return this;
  }

  /** See {@link OpenAiPipelineBuilder#environment}. */
  public OpenAiClientBuilder environment(Function<String, String> environment) {
    pipeline.environment(environment);
    return this;
  }

  /**
   * Reads the environment and builds the client.
   *
   * @throws dev.backoff4j.InvalidSettingException naming the setting or environment variable at fault
   */
  public OpenAiClient build() {
    return new OpenAiClient(pipeline.build());
  }

  /** The settings, never the key. */
  @Override
  public String toString() {
    return "OpenAiClientBuilder" + pipeline.toString().substring("OpenAiPipelineBuilder".length());
  }
}
