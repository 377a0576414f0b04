package dev.backoff4j.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What one shared limit belongs to: an endpoint, the account whose limit it is, and the model or
 * limit group. Every process that builds the same scope shares the same buckets.
 *
 * <p>Only a SHA-256 digest of the three parts is kept — the API key or organisation never reaches
 * Redis, a log line or {@link #toString()}; the limit group is kept for display since model names
 * are not secret.
 */
public final class LimitScope {

  /** 16 bytes of SHA-256: collisions between scopes are not a practical concern. */
  private static final int ID_BYTES = 16;

  private final String id;
  private final String limitGroup;

  private LimitScope(String id, String limitGroup) {
    this.id = id;
    this.limitGroup = limitGroup;
  }

  /**
   * @param baseUrl the API's base URL, e.g. {@code https://api.openai.com/v1}
   * @param account what the limit is counted against: the organisation id when known, else the API
   *     key itself (hashed here, never stored)
   * @param limitGroup the model or the provider's limit group, e.g. {@code gpt-4o-mini}
   */
  public static LimitScope of(String baseUrl, String account, String limitGroup) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(limitGroup, "limitGroup");
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    // Length-prefixed parts, so ("a/b", "c") and ("a", "b/c") cannot collide.
    for (String part : new String[] {stripTrailingSlash(baseUrl), account, limitGroup}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      sha256.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      sha256.update((byte) ':');
      sha256.update(bytes);
    }
    byte[] digest = sha256.digest();
    return new LimitScope(HexFormat.of().formatHex(digest, 0, ID_BYTES), limitGroup);
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** 32 hex digits; the Redis hash tag of this scope's keys. */
  public String id() {
    return id;
  }

  public String limitGroup() {
    return limitGroup;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LimitScope other && id.equals(other.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "LimitScope[" + limitGroup + ", " + id.substring(0, 8) + "]";
  }
}
