package dev.backoff4j.openai.gate;

import java.time.Duration;

/**
 * One waiting request was let through to try the endpoint.
 *
 * @param probe 1 for the first probe since the gate closed
 * @param closedFor how long the gate has been closed
 * @param waiting requests still waiting
 */
public record ProbeSent(int probe, Duration closedFor, int waiting) {}
