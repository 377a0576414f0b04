package dev.backoff4j.openai.gate;

import java.time.Instant;

/**
 * The gate closed: {@code consecutiveFailures} transient failures in a row.
 *
 * @param failingSince when the first of those failures came back
 * @param consecutiveFailures the run that closed the gate
 * @param lastFailure the failure that closed it
 * @param waiting requests waiting at the gate now
 */
public record GateClosed(Instant failingSince, int consecutiveFailures, Throwable lastFailure, int waiting) {}
