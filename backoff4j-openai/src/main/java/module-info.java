/**
 * OpenAI semantics on backoff4j's retry engine: the one request pipeline every front door shares
 * ({@link dev.backoff4j.openai.OpenAiPipeline}), the lean client, error classification, rate-limit
 * headers, pacing, fallbacks and the batch runner. {@code dev.backoff4j.openai.spi} is for the other
 * backoff4j modules and for authors of pipeline steps and transports; the {@code internal} packages
 * are not exported.
 */
@SuppressWarnings("requires-automatic")
module dev.backoff4j.openai {
  requires transitive dev.backoff4j.core;
  requires transitive com.fasterxml.jackson.databind;
  requires transitive java.net.http;
  requires jtokkit;

  exports dev.backoff4j.openai;
  exports dev.backoff4j.openai.batch;
  exports dev.backoff4j.openai.chat;
  exports dev.backoff4j.openai.classify;
  exports dev.backoff4j.openai.embeddings;
  exports dev.backoff4j.openai.errors;
  exports dev.backoff4j.openai.fallback;
  exports dev.backoff4j.openai.gate;
  exports dev.backoff4j.openai.headers;
  exports dev.backoff4j.openai.http;
  exports dev.backoff4j.openai.models;
  exports dev.backoff4j.openai.pacing;
  exports dev.backoff4j.openai.responses;
  exports dev.backoff4j.openai.spi;
}
