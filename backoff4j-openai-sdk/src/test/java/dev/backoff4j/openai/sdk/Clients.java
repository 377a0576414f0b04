package dev.backoff4j.openai.sdk;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.testkit.VirtualTime;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** The two clients under comparison, and small helpers for reading their answers. */
final class Clients {

  static final String KEY = "sk-test-0123456789abcdef";

  private Clients() {}

  /** The official SDK as shipped (2 retries), its waits recorded instead of slept. */
  static OpenAIClient plain(MockServer mock, RecordingSleeper sleeper, Clock clock) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(mock.baseUrl())
        .apiKey(KEY)
        .sleeper(sleeper)
        .clock(clock)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  /** The same SDK through the bridge, under the backoff4j preset on virtual time. */
  static OpenAIClient bridged(MockServer mock, VirtualTime time) {
    return bridged(mock, OpenAiRetryPolicy.builder(time), b -> { });
  }

  static OpenAIClient bridged(MockServer mock, RetryPolicyBuilder<Object> policy,
      Consumer<Backoff4jOpenAI.Builder> settings) {
    Backoff4jOpenAI.Builder builder = Backoff4jOpenAI.builder()
        .baseUrl(mock.baseUrl())
        .apiKey(KEY)
        .timeout(Duration.ofSeconds(10))
        .retryPolicy(policy.build());
    settings.accept(builder);
    return builder.build();
  }

  static ChatCompletionCreateParams chat(String message) {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(message).build();
  }

  static String text(ChatCompletion completion) {
    return completion.choices().get(0).message().content().orElse("");
  }

  /** Reads a stream chunk by chunk into {@code into}, so what arrived before a failure is kept. */
  static void readStream(StreamResponse<ChatCompletionChunk> stream, StringBuilder into) {
    try (stream) {
      stream.stream().forEach(chunk -> chunk.choices()
          .forEach(choice -> into.append(choice.delta().content().orElse(""))));
    }
  }
}
