/**
 * Fleet-shared pacing on Redis: {@link dev.backoff4j.redis.RedisFleetPacing}, a shared store for the
 * pacer ({@code Pacer.Builder.sharedStore}) on Bucket4j's Redis buckets over Lettuce. Only
 * {@code dev.backoff4j.redis} is exported; the engine ({@code internal}) is not. Bucket4j's and
 * Lettuce's jars have no module descriptors: on the module path they are the automatic modules their
 * manifests (or, for Lettuce, their file names) name.
 */
@SuppressWarnings({"requires-automatic"})
module dev.backoff4j.redis {
  requires transitive dev.backoff4j.openai;
  requires io.github.bucket4j.core;
  requires io.github.bucket4j.redis.common;
  requires io.github.bucket4j.lettuce;
  requires lettuce.core;
  requires io.netty.common;
  requires java.management;

  exports dev.backoff4j.redis;
}
