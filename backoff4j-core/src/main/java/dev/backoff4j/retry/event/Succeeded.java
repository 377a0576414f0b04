package dev.backoff4j.retry.event;

import java.time.Duration;

/**
 * @param attempts attempts made, including the successful one
 * @param elapsed time from the first attempt's start
 * @param totalWaited the sum of the waits between attempts
 */
public record Succeeded(int attempts, Duration elapsed, Duration totalWaited) {}
