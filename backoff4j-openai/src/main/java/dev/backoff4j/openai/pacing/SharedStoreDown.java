package dev.backoff4j.openai.pacing;

/**
 * The pacer's shared store ({@link Pacer.Builder#sharedStore}) could not be used: from now on, until
 * {@link SharedStoreBack}, this process paces alone on its share of the limit. Requests keep going.
 * Reported once per outage, at the first reservation that met it.
 *
 * @param reason one line from the store, without credentials (e.g. a timeout, a refused connection)
 * @param liveInstances the processes last seen sharing the limit: this process paces on
 *     {@code 1 / liveInstances} of it
 */
public record SharedStoreDown(String reason, int liveInstances) {}
