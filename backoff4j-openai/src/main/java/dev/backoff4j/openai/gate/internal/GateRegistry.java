package dev.backoff4j.openai.gate.internal;

import dev.backoff4j.openai.gate.OutageGate;
import dev.backoff4j.time.TimeSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gates of one family of pipelines (a pipeline and those derived from it with
 * {@code newBuilder()}): one per endpoint, that is per base-URL origin and API key, so that every
 * request to a failing endpoint waits at the same gate while requests elsewhere are not held back.
 * The key is kept only as a hash. Thread-safe.
 */
public final class GateRegistry {

  private record Key(String origin, String credential, OutageGate.Settings settings, TimeSource time) {}

  private final ConcurrentHashMap<Key, DefaultOutageGate> gates = new ConcurrentHashMap<>();

  /** The gate for requests to {@code baseUrl} signed with {@code apiKey} ({@code null} for none). */
  public DefaultOutageGate gateFor(String baseUrl, String apiKey, OutageGate.Settings settings, TimeSource time) {
    Key key = new Key(origin(baseUrl), fingerprint(apiKey), settings, time);
    return gates.computeIfAbsent(key, k -> (DefaultOutageGate) settings.newGate(time));
  }

  /** {@code scheme://host:port}, the port spelled out, so {@code https://x/v1} and {@code https://x:443/v2} match. */
  static String origin(String baseUrl) {
    URI uri = URI.create(baseUrl);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }

  /** A short hash of the key, never the key: enough to tell two keys apart. */
  static String fingerprint(String apiKey) {
    if (apiKey == null) {
      return "none";
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "GateRegistry[" + gates.size() + " gates]";
  }
}
