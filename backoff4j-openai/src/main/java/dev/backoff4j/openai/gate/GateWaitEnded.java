package dev.backoff4j.openai.gate;

import java.time.Duration;

/**
 * One call's attempt stopped waiting at an outage gate; told to that call's
 * {@code CallListener.onGateWaitEnded} once per attempt that was told {@link GateWait}, after it.
 *
 * @param waited from the moment the attempt started waiting until the gate let it through for the
 *     last time (the failed probes it made and its waits after them included), or until it left the
 *     line (its deadline passed, it was cancelled)
 * @param letThrough whether the gate let it through in the end; {@code false} when it left the line
 *     unsent
 */
public record GateWaitEnded(Duration waited, boolean letThrough) {}
