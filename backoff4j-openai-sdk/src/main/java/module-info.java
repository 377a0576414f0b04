/**
 * The bridge into the official {@code com.openai:openai-java} SDK: its clients, with backoff4j's one
 * pipeline under the SDK's API. Only {@code dev.backoff4j.openai.sdk} is exported. The SDK's jars have
 * no module names of their own; on the module path they are the automatic modules named after the
 * jar files.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.backoff4j.openai.sdk {
  requires transitive dev.backoff4j.openai;
  requires transitive openai.java.core;
  requires transitive openai.java.client.okhttp;
  requires kotlin.stdlib;

  exports dev.backoff4j.openai.sdk;
}
