package dev.backoff4j.openai.pacing;

/**
 * Observes a {@link Pacer}: a CLI's progress line, metrics, a log. Called on the thread that reserved
 * or learned, inside no lock; must be quick and must not throw (what it throws is ignored).
 */
public interface PacerListener {

  /** A request waited before sending. Not called for requests that went at once. */
  default void onPaced(Paced event) {}

  /** A 429 paused a whole rate-limit scope. */
  default void onPaused(Paused event) {}

  /** The shared store could not be used: this process paces alone on its share of the limit. */
  default void onSharedStoreDown(SharedStoreDown event) {}

  /** The shared store answers again. */
  default void onSharedStoreBack(SharedStoreBack event) {}
}
