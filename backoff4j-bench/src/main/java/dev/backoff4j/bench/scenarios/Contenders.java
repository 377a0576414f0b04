package dev.backoff4j.bench.scenarios;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.time.TimeSource;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** The five contenders, each configured as its users typically do (documented in {@link #description}). */
final class Contenders {

  private Contenders() {}

  static List<Contender> all() {
    return List.of(recipe(), openAiJava(), resilience4j(), backoff4j(), backoff4jPaced());
  }

  static Contender recipe() {
    return contender("recipe",
        "official SDK with maxRetries(0) inside the recipe loop: catch every exception, sleep 1 s × 2^attempt, 5 attempts",
        url -> {
          OpenAIClient sdk = sdk(url, 0);
          Recipe recipe = new Recipe(Duration.ofSeconds(1), 5);
          ChatCompletionCreateParams params = sdkParams();
          return caller(() -> recipe.call(() -> sdk.chat().completions().create(params)), sdk::close);
        });
  }

  static Contender openAiJava() {
    return contender("openai-java",
        "com.openai:openai-java (OkHttp client) with its default retries (2 retries, 0.5 s × 2^n up to 8 s, hints honoured)",
        url -> {
          OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(url).apiKey(Payload.API_KEY).build();
          ChatCompletionCreateParams params = sdkParams();
          return caller(() -> sdk.chat().completions().create(params), sdk::close);
        });
  }

  static Contender resilience4j() {
    return contender("resilience4j",
        "resilience4j-retry: maxAttempts 5, IntervalFunction.ofExponentialRandomBackoff(1 s, ×2, randomization 0.5), "
            + "retry on every exception, around the SDK with maxRetries(0)",
        url -> {
          OpenAIClient sdk = sdk(url, 0);
          Retry retry = Retry.of("bench", RetryConfig.custom()
              .maxAttempts(5)
              .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofSeconds(1), 2.0))
              .build());
          ChatCompletionCreateParams params = sdkParams();
          return caller(() -> retry.executeCallable(() -> sdk.chat().completions().create(params)), sdk::close);
        });
  }

  static Contender backoff4j() {
    return contender("backoff4j",
        "backoff4j OpenAiClient with OpenAiRetryPolicy defaults (retry log off), no pacer",
        url -> lean(url, null));
  }

  static Contender backoff4jPaced() {
    return contender("backoff4j-paced",
        "backoff4j OpenAiClient with OpenAiRetryPolicy defaults (retry log off) and an unseeded Pacer "
            + "(limits learned from x-ratelimit-* headers)",
        url -> lean(url, Pacer.builder().build()));
  }

  private static ChatCaller lean(String url, Pacer pacer) {
    OpenAiClient client = OpenAiClient.builder()
        .environment(name -> null)
        .baseUrl(url)
        .apiKey(Payload.API_KEY)
        .retryPolicy(OpenAiRetryPolicy.builder(TimeSource.system()).retryLogLevel(Level.OFF).build())
        .pacer(pacer)
        .build();
    ChatRequest request = ChatRequest.of(Payload.MODEL, ChatMessage.user(Payload.PROMPT))
        .maxCompletionTokens(Payload.MAX_COMPLETION_TOKENS);
    return caller(() -> client.chat().create(request), () -> {});
  }

  private static OpenAIClient sdk(String url, int maxRetries) {
    return OpenAIOkHttpClient.builder().baseUrl(url).apiKey(Payload.API_KEY).maxRetries(maxRetries).build();
  }

  private static ChatCompletionCreateParams sdkParams() {
    return ChatCompletionCreateParams.builder()
        .model(Payload.MODEL)
        .addUserMessage(Payload.PROMPT)
        .maxCompletionTokens(Payload.MAX_COMPLETION_TOKENS)
        .build();
  }

  private interface Call {
    Object call() throws Exception;
  }

  private static ChatCaller caller(Call call, Runnable close) {
    return new ChatCaller() {
      @Override
      public void call() throws Exception {
        call.call();
      }

      @Override
      public void close() {
        close.run();
      }
    };
  }

  private static Contender contender(String name, String description, Function<String, ChatCaller> open) {
    return new Contender() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public ChatCaller open(String baseUrl) {
        return open.apply(baseUrl);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
