package dev.backoff4j.retry.event;

import java.time.Duration;

/**
 * @param attempt 1-based attempt number
 * @param elapsed time since the execution started
 */
public record AttemptStarted(int attempt, Duration elapsed) {}
