package dev.backoff4j.openai.gate;

import java.time.Instant;
import java.util.Optional;

/**
 * What an {@link OutageGate} is doing now, for metrics and progress lines.
 *
 * @param state open, closed or recovering
 * @param waiting requests waiting at the gate
 * @param since when the endpoint started failing, while the gate is closed or recovering; empty
 *     when open
 * @param consecutiveFailures transient failures in a row right now (the gate closes at the
 *     configured number)
 * @param closings how often the gate has closed
 * @param probes probes sent, in all
 * @param failedProbes probes that failed, in all
 * @param succeededProbes probes the server answered (a 2xx or 4xx: the endpoint is up), in all; a probe that
 *     was abandoned before its answer (cancelled, out of time) is neither failed nor succeeded
 * @param window while recovering, the requests allowed in flight; 0 otherwise
 * @param lastFailure a short description of the last transient failure while the endpoint is
 *     failing, e.g. {@code 503 (req_abc)}
 */
public record GateStats(GateState state, int waiting, Optional<Instant> since, int consecutiveFailures, long closings,
    long probes, long failedProbes, long succeededProbes, int window, Optional<String> lastFailure) {}
