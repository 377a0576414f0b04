package dev.backoff4j.openai.gate;

import java.time.Duration;

/**
 * Slow start is over: nobody waits any more and the gate is {@link GateState#OPEN}.
 *
 * @param recovery time from the gate's opening to now
 * @param window the requests in flight the slow start had reached
 */
public record GateRecovered(Duration recovery, int window) {}
