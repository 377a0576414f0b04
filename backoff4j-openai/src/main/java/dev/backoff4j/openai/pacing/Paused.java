package dev.backoff4j.openai.pacing;

import java.time.Duration;

/**
 * A 429 rate-limit response paused every request of a rate-limit scope, not only the one that got it.
 *
 * @param model the rate-limit scope
 * @param pause how long nothing is sent
 * @param source where the pause came from: the hint's header ({@code retry-after-ms}, ...) or
 *     {@code "no hint"} for the pacer's default
 */
public record Paused(String model, Duration pause, String source) {}
