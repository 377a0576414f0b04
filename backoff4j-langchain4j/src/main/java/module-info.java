/**
 * backoff4j as LangChain4j's HTTP client: {@code dev.backoff4j.langchain4j} is exported, the
 * {@code internal} package is not.
 *
 * <p>LangChain4j 1.19 ships no module names: on the module path its jars are the automatic modules
 * named after their files ({@code langchain4j.http.client}, {@code langchain4j.core}). If a later
 * LangChain4j names its modules (a proposal uses {@code dev.langchain4j.*}), these {@code requires}
 * change with the version bump. No {@code provides} clause: on the module path that would register
 * the service factory for everyone, which {@link dev.backoff4j.langchain4j.Backoff4jHttpClientBuilderFactory}
 * leaves to the application.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.backoff4j.langchain4j {
  requires transitive dev.backoff4j.openai;
  requires transitive langchain4j.http.client;
  requires transitive langchain4j.core;

  exports dev.backoff4j.langchain4j;
}
