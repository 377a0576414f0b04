/**
 * Service-provider interfaces of the OpenAI module, for other backoff4j modules (the SDK bridge, the
 * mock server, the integrations) and for authors of pipeline steps and transports: the two-path
 * {@link dev.backoff4j.openai.spi.Interceptor} contract, the wire formats shared by client and mock
 * ({@link dev.backoff4j.openai.spi.GoDuration}, {@link dev.backoff4j.openai.spi.RateLimitHeaders},
 * {@link dev.backoff4j.openai.spi.ErrorBody}), {@link dev.backoff4j.openai.spi.ErrorResponses},
 * which reads an error response the way the pipeline does, and {@link dev.backoff4j.openai.spi.Credentials},
 * which masks keys in what other modules print by the pipeline's own rule. Nothing here performs I/O. Stable, but not
 * what an application calling OpenAI needs.
 */
package dev.backoff4j.openai.spi;
