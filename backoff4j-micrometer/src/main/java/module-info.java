/**
 * backoff4j's calls, attempts, waits, pacer and budget as Micrometer meters, and one observation per
 * call. Only {@code dev.backoff4j.micrometer} is exported. Micrometer's jars have no module
 * descriptors; on the module path they are the automatic modules their manifests name.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.backoff4j.micrometer {
  requires transitive dev.backoff4j.openai;
  requires transitive micrometer.core;
  requires transitive micrometer.observation;
  requires transitive micrometer.commons;

  exports dev.backoff4j.micrometer;
}
