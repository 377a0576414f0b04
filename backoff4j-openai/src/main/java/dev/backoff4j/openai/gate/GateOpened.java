package dev.backoff4j.openai.gate;

import java.time.Duration;

/**
 * A request succeeded through a closed gate: the gate opens in slow start
 * ({@link GateState#RECOVERING}) and lets the waiting requests through a few at a time.
 *
 * @param closedFor how long it was closed
 * @param probes the probes sent while it was closed, the successful one included (0 when a request
 *     sent before the gate closed succeeded first)
 * @param waiting requests still waiting, to be let through in slow start
 */
public record GateOpened(Duration closedFor, int probes, int waiting) {}
