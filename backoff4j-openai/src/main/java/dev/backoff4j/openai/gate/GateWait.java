package dev.backoff4j.openai.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One call's attempt has started waiting at a closed (or recovering) outage gate; told to that
 * call's {@code CallListener.onGateWait}, once per attempt.
 *
 * @param state the gate's state
 * @param failingSince when the endpoint started failing
 * @param failingFor how long it has been failing
 * @param waiting requests waiting, this one included
 * @param timeLeft the time the call has left before its deadline; empty without one
 */
public record GateWait(GateState state, Instant failingSince, Duration failingFor, int waiting,
    Optional<Duration> timeLeft) {}
