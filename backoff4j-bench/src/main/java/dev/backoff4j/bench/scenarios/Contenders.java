package dev.backoff4j.bench.scenarios;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.time.TimeSource;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/** The five contenders, each configured as its users typically do (documented in {@link Contender#description}). */
final class Contenders {

  static final String RECIPE = "recipe";
  static final String OPENAI_JAVA = "openai-java";
  static final String RESILIENCE4J = "resilience4j";
  static final String BACKOFF4J = "backoff4j";
  static final String BACKOFF4J_PACED = "backoff4j-paced";

  private static final String HARNESS_DEADLINE =
      "none of its own across retries: the harness waits Future.get(deadline), then cancel(true)";

  private Contenders() {}

  static List<Contender> all() {
    return List.of(recipe(), openAiJava(), resilience4j(), backoff4j(), backoff4jPaced());
  }

  /** The contender called {@code name}, as {@link #all()} has it. */
  static Contender byName(String name) {
    return all().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown contender '" + name + "'; known: "
            + all().stream().map(Contender::name).toList()));
  }

  /** True for the library's own rows, the ones the targets are for. */
  static boolean isBackoff4j(String name) {
    return name.equals(BACKOFF4J) || name.startsWith(BACKOFF4J_PACED);
  }

  static Contender recipe() {
    return contender(RECIPE,
        "official SDK with maxRetries(0) inside the recipe loop: catch every exception, sleep 1 s × 2^attempt, "
            + "5 attempts (async: the same loop on futures, sleeps on CompletableFuture.delayedExecutor)",
        HARNESS_DEADLINE,
        url -> {
          OpenAIClient sdk = sdk(url, 0);
          Recipe recipe = new Recipe(Duration.ofSeconds(1), 5);
          ChatCompletionCreateParams params = sdkParams();
          return caller(() -> recipe.call(() -> sdk.chat().completions().create(params)),
              () -> recipe.callAsync(() -> sdk.async().chat().completions().create(params)), sdk::close);
        });
  }

  static Contender openAiJava() {
    return contender(OPENAI_JAVA,
        "com.openai:openai-java (OkHttp client) with its default retries (2 retries, 0.5 s × 2^n up to 8 s, hints "
            + "honoured; async: client.async())",
        HARNESS_DEADLINE + " (its timeouts are per attempt)",
        url -> {
          OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(url).apiKey(Payload.API_KEY).build();
          ChatCompletionCreateParams params = sdkParams();
          return caller(() -> sdk.chat().completions().create(params),
              () -> sdk.async().chat().completions().create(params), sdk::close);
        });
  }

  static Contender resilience4j() {
    return contender(RESILIENCE4J,
        "resilience4j-retry: maxAttempts 5, IntervalFunction.ofExponentialRandomBackoff(1 s, ×2, randomization 0.5), "
            + "retry on every exception, around the SDK with maxRetries(0) (async: executeCompletionStage)",
        HARNESS_DEADLINE,
        url -> {
          OpenAIClient sdk = sdk(url, 0);
          Retry retry = Retry.of("bench", RetryConfig.custom()
              .maxAttempts(5)
              .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofSeconds(1), 2.0))
              .build());
          ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "resilience4j-retry");
            t.setDaemon(true);
            return t;
          });
          ChatCompletionCreateParams params = sdkParams();
          return caller(() -> retry.executeCallable(() -> sdk.chat().completions().create(params)),
              () -> retry.executeCompletionStage(scheduler, () -> sdk.async().chat().completions().create(params))
                  .toCompletableFuture(),
              () -> {
                scheduler.shutdownNow();
                sdk.close();
              });
        });
  }

  static Contender backoff4j() {
    return contender(BACKOFF4J,
        "backoff4j OpenAiClient with OpenAiRetryPolicy defaults (retry log off), no pacer",
        "OpenAiRetryPolicy.builder(...).maxElapsed(deadline)",
        (url, deadline) -> lean(url, deadline, null));
  }

  static Contender backoff4jPaced() {
    return contender(BACKOFF4J_PACED,
        "backoff4j OpenAiClient with OpenAiRetryPolicy defaults (retry log off) and an unseeded Pacer "
            + "(limits learned from x-ratelimit-* headers)",
        "OpenAiRetryPolicy.builder(...).maxElapsed(deadline); the pacer waits within it",
        (url, deadline) -> lean(url, deadline, Pacer.builder().build()));
  }

  /**
   * {@code backoff4j-paced} whose pacer shares the limit through the Redis at {@code redisUrl}
   * (S5's process variant), built by {@link SharedPacing}; fails to open while that is unavailable.
   */
  static Contender backoff4jPacedSharedThrough(String name, String redisUrl) {
    return contender(name,
        "backoff4j-paced with its limit shared through Redis (" + SharedPacing.DESCRIPTION + ")",
        "OpenAiRetryPolicy.builder(...).maxElapsed(deadline); the pacer waits within it",
        (url, deadline) -> lean(url, deadline, SharedPacing.pacer(redisUrl)));
  }

  private static ChatCaller lean(String url, Optional<Duration> deadline, Pacer pacer) {
    RetryPolicyBuilder<Object> policy = OpenAiRetryPolicy.builder(TimeSource.system()).retryLogLevel(Level.OFF);
    deadline.ifPresent(policy::maxElapsed);
    OpenAiClient client = OpenAiClient.builder()
        .environment(name -> null)
        .baseUrl(url)
        .apiKey(Payload.API_KEY)
        .retryPolicy(policy.build())
        .pacer(pacer)
        .build();
    ChatRequest request = ChatRequest.of(Payload.MODEL, ChatMessage.user(Payload.PROMPT))
        .maxCompletionTokens(Payload.MAX_COMPLETION_TOKENS);
    return caller(() -> client.chat().create(request), () -> client.chat().createAsync(request), () -> {});
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

  private interface Opener {
    ChatCaller open(String baseUrl, Optional<Duration> deadline);
  }

  private static ChatCaller caller(Call call, Supplier<CompletableFuture<?>> async, Runnable close) {
    return new ChatCaller() {
      @Override
      public void call() throws Exception {
        call.call();
      }

      @Override
      public CompletableFuture<?> callAsync() {
        try {
          return async.get();
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }

      @Override
      public void close() {
        close.run();
      }
    };
  }

  /** A contender without a deadline of its own: {@link HarnessDeadline} bounds its calls. */
  private static Contender contender(String name, String description, String deadlineDescription,
      Function<String, ChatCaller> open) {
    return contender(name, description, deadlineDescription, (url, deadline) -> {
      ChatCaller caller = open.apply(url);
      return deadline.<ChatCaller>map(d -> new HarnessDeadline(caller, d)).orElse(caller);
    });
  }

  private static Contender contender(String name, String description, String deadlineDescription, Opener open) {
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
      public String deadlineDescription() {
        return deadlineDescription;
      }

      @Override
      public ChatCaller open(String baseUrl, Optional<Duration> deadline) {
        return open.open(baseUrl, deadline);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
