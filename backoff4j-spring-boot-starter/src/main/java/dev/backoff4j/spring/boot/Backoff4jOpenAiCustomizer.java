package dev.backoff4j.spring.boot;

import dev.backoff4j.openai.sdk.Backoff4jOpenAI;

/**
 * Changes the settings of every bridged client the starter builds (Spring AI's chat and embedding
 * models' clients, the {@code OpenAIClient} bean), after the starter's own: interceptors, listeners,
 * OkHttp transport settings (proxy, TLS), SDK options. Declare one or more as beans; they run in
 * their {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface Backoff4jOpenAiCustomizer {

  void customize(Backoff4jOpenAI.Builder builder);
}
