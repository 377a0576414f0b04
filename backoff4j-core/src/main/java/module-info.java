/**
 * The retry engine: policies, jittered backoff, deadlines, server hints, budgets, events and virtual
 * time, on the JDK alone. {@code dev.backoff4j.spi} is for the other backoff4j modules and for authors
 * of steps and transports; everything else exported is API.
 */
module dev.backoff4j.core {
  exports dev.backoff4j;
  exports dev.backoff4j.retry;
  exports dev.backoff4j.retry.event;
  exports dev.backoff4j.budget;
  exports dev.backoff4j.time;
  exports dev.backoff4j.testkit;
  exports dev.backoff4j.spi;
}
