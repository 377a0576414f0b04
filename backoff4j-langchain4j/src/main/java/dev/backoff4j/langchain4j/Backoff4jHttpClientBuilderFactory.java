package dev.backoff4j.langchain4j;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilderFactory;

/**
 * Makes backoff4j the HTTP client of every LangChain4j model built without an
 * {@code httpClientBuilder(...)}, with the {@link dev.backoff4j.openai.OpenAiRetryPolicy} preset. Opt-in,
 * in two steps, because LangChain4j's service loader refuses to start when it finds two factories and
 * {@code langchain4j-open-ai} already brings the JDK client's:
 *
 * <ol>
 *   <li>register it: a file {@code META-INF/services/dev.langchain4j.http.client.HttpClientBuilderFactory}
 *       in your application holding the line {@code dev.backoff4j.langchain4j.Backoff4jHttpClientBuilderFactory}
 *       (this module ships no such file);
 *   <li>choose it: {@code -Dlangchain4j.http.clientBuilderFactory=dev.backoff4j.langchain4j.Backoff4jHttpClientBuilderFactory}
 *       (or exclude {@code langchain4j-http-client-jdk} from your build).
 * </ol>
 *
 * <p>To configure the client (a retry policy, a pacer), pass a {@link Backoff4jHttpClientBuilder} to
 * each model instead.
 */
public final class Backoff4jHttpClientBuilderFactory implements HttpClientBuilderFactory {

  /** The system property LangChain4j reads to choose among several factories. */
  public static final String SYSTEM_PROPERTY = "langchain4j.http.clientBuilderFactory";

  /** Called by LangChain4j's service loader. */
  public Backoff4jHttpClientBuilderFactory() {}

  @Override
  public HttpClientBuilder create() {
    return new Backoff4jHttpClientBuilder();
  }
}
