/**
 * A fault-injecting OpenAI-compatible server, and its JUnit 5 extension. Only
 * {@code dev.backoff4j.mock} is exported; JUnit is needed only by {@code MockServerExtension}.
 */
module dev.backoff4j.mock {
  requires transitive dev.backoff4j.openai;
  requires io.netty.buffer;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.transport;
  requires static org.junit.jupiter.api;

  exports dev.backoff4j.mock;
}
