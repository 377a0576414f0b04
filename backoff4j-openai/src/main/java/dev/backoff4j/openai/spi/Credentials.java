package dev.backoff4j.openai.spi;

import dev.backoff4j.openai.OpenAiPipeline;
import dev.backoff4j.openai.internal.Secrets;
import java.util.List;

/**
 * Keeps credentials out of what other backoff4j modules print or store (the CLI's output, an
 * integration's logs), by the one rule the pipeline applies to its own error messages and the batch
 * runner to its output lines: every credential masked as {@code ***} wherever it appears (also
 * JSON-escaped, URL-encoded, or cut off at the end), and anything shaped like an OpenAI key
 * ({@code sk-...}) masked as {@code sk-***}.
 */
public final class Credentials {

  private Credentials() {}

  /** The credentials {@code pipeline} signs its requests with: its API key, if it has one. */
  public static List<String> of(OpenAiPipeline pipeline) {
    String key = pipeline.endpoint().apiKey();
    return key == null ? List.of() : List.of(key);
  }

  /** {@code text} with {@code credentials} and key-shaped text masked; {@code null} stays {@code null}. */
  public static String mask(String text, Iterable<String> credentials) {
    return Secrets.mask(text, credentials);
  }
}
