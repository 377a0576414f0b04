package dev.backoff4j.langchain4j;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.testkit.VirtualTime;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

/**
 * LangChain4j's OpenAI models as a user builds them, pointed at the mock, with their own retry
 * settings left alone (chat and embeddings: {@code maxRetries} 2; streaming: none). {@code http} null
 * means plain LangChain4j: its service loader picks the JDK client.
 */
final class Models {

  static final String KEY = "sk-test-0123456789abcdef";

  private Models() {}

  static OpenAiChatModel chat(MockServer mock, HttpClientBuilder http) {
    OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
        .baseUrl(mock.baseUrl()).apiKey(KEY).modelName("gpt-4o-mini");
    return (http == null ? builder : builder.httpClientBuilder(http)).build();
  }

  static OpenAiStreamingChatModel streaming(MockServer mock, HttpClientBuilder http) {
    OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
        .baseUrl(mock.baseUrl()).apiKey(KEY).modelName("gpt-4o-mini");
    return (http == null ? builder : builder.httpClientBuilder(http)).build();
  }

  static OpenAiEmbeddingModel embeddings(MockServer mock, HttpClientBuilder http) {
    OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder builder = OpenAiEmbeddingModel.builder()
        .baseUrl(mock.baseUrl()).apiKey(KEY).modelName("text-embedding-3-small");
    return (http == null ? builder : builder.httpClientBuilder(http)).build();
  }

  /** backoff4j with the preset, its waits on {@code time} (recorded, not slept). */
  static Backoff4jHttpClientBuilder backoff4j(VirtualTime time) {
    return backoff4j(OpenAiRetryPolicy.builder(time));
  }

  static Backoff4jHttpClientBuilder backoff4j(RetryPolicyBuilder<Object> policy) {
    return new Backoff4jHttpClientBuilder().retryPolicy(policy.build());
  }
}
