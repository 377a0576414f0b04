package dev.backoff4j.redis.internal;

/** The two buckets of a scope. */
public enum BucketKind {
  REQUESTS("requests"),
  TOKENS("tokens");

  private final String keySuffix;

  BucketKind(String keySuffix) {
    this.keySuffix = keySuffix;
  }

  String keySuffix() {
    return keySuffix;
  }
}
