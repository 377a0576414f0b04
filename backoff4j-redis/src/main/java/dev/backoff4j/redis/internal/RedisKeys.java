package dev.backoff4j.redis.internal;

import java.nio.charset.StandardCharsets;

/**
 * The key layout. All keys of a scope carry the scope id as a hash tag, so Redis Cluster keeps them
 * in one slot (and on one node) and a later multi-key script could touch them together:
 *
 * <pre>
 * {prefix}:{&lt;scope id&gt;}:requests    Bucket4j state of the requests bucket
 * {prefix}:{&lt;scope id&gt;}:tokens      Bucket4j state of the tokens bucket
 * {prefix}:{&lt;scope id&gt;}:instances   sorted set: instance id, scored by last heartbeat (epoch ms)
 * </pre>
 */
final class RedisKeys {

  private final String prefix;

  RedisKeys(String prefix) {
    this.prefix = prefix;
  }

  byte[] bucket(LimitScope scope, BucketKind kind) {
    return key(scope, kind.keySuffix());
  }

  byte[] instances(LimitScope scope) {
    return key(scope, "instances");
  }

  String text(LimitScope scope, String suffix) {
    return prefix + ":{" + scope.id() + "}:" + suffix;
  }

  private byte[] key(LimitScope scope, String suffix) {
    return text(scope, suffix).getBytes(StandardCharsets.UTF_8);
  }
}
