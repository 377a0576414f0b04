package dev.backoff4j.redis.internal;

/**
 * One bucket as Redis holds it now: the units available (negative while reservations queue) and
 * the limit the fleet currently uses, which may differ from the caller's if another process wrote
 * a learned limit. For monitoring and tests; decisions use reservations, which are atomic.
 */
public record BucketSnapshot(long available, BucketLimit limit) {}
