package dev.backoff4j.openai.pacing;

import java.time.Duration;

/**
 * The pacer's shared store answers again after a {@link SharedStoreDown}: reservations are queued
 * with the fleet's again.
 *
 * @param downFor how long this process paced alone
 */
public record SharedStoreBack(Duration downFor) {}
