package dev.backoff4j.redis.internal;

/**
 * Told when the shared store changes state, so a pacer can switch to local pacing and back and a
 * metric can count outages. Called on a Lettuce thread: return quickly, never block.
 */
public interface StoreListener {

  StoreListener NONE = new StoreListener() {};

  /** The first call that could not use Redis after a run of calls that could. */
  default void onUnavailable(StoreResult.Unavailable<?> outcome) {}

  /** The first call that used Redis again after an outage. */
  default void onAvailable() {}
}
