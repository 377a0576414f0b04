package dev.backoff4j.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The live-instance count of a scope: a sorted set of instance ids scored by their last heartbeat
 * (epoch milliseconds). A heartbeat adds or refreshes this instance, drops the ones not seen within
 * the TTL, keeps the key alive for two TTLs and returns how many are left — one script, so one
 * round trip and no interleaving with another instance's heartbeat.
 *
 * <p>Times come from the caller's wall clock, like Bucket4j's refills; an instance whose clock runs
 * a TTL behind the others is dropped early and counted again at its next heartbeat.
 */
final class Heartbeats {

  /** KEYS[1] the set; ARGV: now ms, cut-off ms (scores below are dropped), key TTL ms, instance id. */
  private static final String SCRIPT =
      "redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])\n"
          + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])\n"
          + "redis.call('PEXPIRE', KEYS[1], ARGV[3])\n"
          + "return redis.call('ZCARD', KEYS[1])\n";

  private Heartbeats() {}

  static CompletableFuture<Integer> beat(
      RedisAsyncCommands<byte[], byte[]> commands, byte[] key, String instanceId, Instant now, Duration ttl) {
    long nowMillis = now.toEpochMilli();
    byte[][] args = {
      ascii(nowMillis), ascii(nowMillis - ttl.toMillis()), ascii(2 * ttl.toMillis()), instanceId.getBytes(StandardCharsets.UTF_8)
    };
    CompletableFuture<Long> count =
        commands.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, new byte[][] {key}, args).toCompletableFuture();
    return count.thenApply(Long::intValue);
  }

  /** Removes this instance, so the others stop counting it before its TTL runs out. */
  static CompletableFuture<Long> leave(RedisAsyncCommands<byte[], byte[]> commands, byte[] key, String instanceId) {
    return commands.zrem(key, instanceId.getBytes(StandardCharsets.UTF_8)).toCompletableFuture();
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }
}
