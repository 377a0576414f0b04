package dev.backoff4j.openai.pacing;

import java.time.Duration;

/**
 * A request was held back before sending so the server's limits are not exceeded.
 *
 * @param model the rate-limit scope
 * @param tokens the tokens reserved for it
 * @param delay how long it was held
 */
public record Paced(String model, long tokens, Duration delay) {}
