package dev.backoff4j.openai.gate;

import java.time.Duration;

/**
 * A probe failed; the gate stays closed and the next probe goes after {@code nextProbeIn} (jittered
 * exponential backoff).
 *
 * @param probe the probe's number since the gate closed
 * @param failure what it failed with
 * @param nextProbeIn the wait before the next probe
 * @param waiting requests waiting (the probing request among them when it went back to waiting)
 */
public record ProbeFailed(int probe, Throwable failure, Duration nextProbeIn, int waiting) {}
