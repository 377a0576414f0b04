package dev.backoff4j.redis;

import dev.backoff4j.redis.testkit.RedisBinary;
import dev.backoff4j.redis.testkit.RedisServerProcess;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis for a test class, in this order of preference:
 *
 * <ol>
 *   <li>an external server named by {@code $BACKOFF4J_REDIS_URL} (e.g. {@code redis://127.0.0.1:6379});
 *       it is never stopped, so tests that kill Redis are skipped ({@link #assumeRestartable()});
 *   <li>a {@code redis-server} found on {@code PATH}, started on a free 127.0.0.1 port;
 *   <li>the {@code redis-server} inside the embedded-redis test jar, likewise.
 * </ol>
 *
 * <p>Register it on a static field: one server per test class, started before the first test,
 * killed after the last (also when tests fail, and — through {@link RedisServerProcess}'s watchdog
 * — when the JVM dies). Each test starts with the server running, even if an earlier test killed
 * it. Tests share the server, so each should use its own {@link #freshNamespace()} for keys; an
 * external server is never flushed.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();
 * }</pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

  /** The variable naming an external Redis; the same one the CLI reads. */
  public static final String URL_VARIABLE = "BACKOFF4J_REDIS_URL";

  private final String externalUrl;
  private RedisServerProcess process;

  /** Uses {@code $BACKOFF4J_REDIS_URL} when it is set and not blank. */
  public RedisServerExtension() {
    this(System.getenv(URL_VARIABLE));
  }

  RedisServerExtension(String externalUrl) {
    this.externalUrl = externalUrl == null || externalUrl.isBlank() ? null : externalUrl.trim();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (externalUrl != null) {
      URI uri = URI.create(externalUrl);
      if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
        throw new IllegalArgumentException(URL_VARIABLE + " must be a redis:// or rediss:// URL, got scheme '"
            + uri.getScheme() + "'");
      }
      return;
    }
    process = RedisServerProcess.startOnFreePort(RedisBinary.find());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (externalUrl == null && process == null) {
      throw new IllegalStateException("RedisServerExtension must be registered on a static field");
    }
    if (process != null && !process.isRunning()) {
      process.start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (process != null) {
      process.close();
      process = null;
    }
  }

  /** The URL clients connect to, e.g. {@code redis://127.0.0.1:41234}. */
  public String url() {
    if (externalUrl != null) {
      return externalUrl;
    }
    return requireProcess().url();
  }

  /** True when this extension started the server and can kill and restart it. */
  public boolean isRestartable() {
    return externalUrl == null;
  }

  /** Skips the calling test when Redis is external (it cannot be killed from here). */
  public void assumeRestartable() {
    Assumptions.assumeTrue(isRestartable(), "Redis is external (" + URL_VARIABLE + "); it cannot be killed here");
  }

  /** Kills the server as a crash would (SIGKILL); returns once the port refuses connections. */
  public void kill() {
    requireProcess().kill();
  }

  /** Starts the server again on the same port; returns once it answers PING. */
  public void restart() {
    requireProcess().start();
  }

  public boolean isRunning() {
    return externalUrl != null || requireProcess().isRunning();
  }

  /** The redis-server's pid while it runs (this extension's own server only), else -1. */
  public long pid() {
    return requireProcess().pid();
  }

  /** A key prefix no other test uses, so tests on one server never see each other's keys. */
  public static String freshNamespace() {
    return "b4jtest-" + UUID.randomUUID().toString().substring(0, 8);
  }

  RedisServerProcess process() {
    return requireProcess();
  }

  private RedisServerProcess requireProcess() {
    if (process == null) {
      throw new IllegalStateException(externalUrl != null
          ? "Redis is external (" + URL_VARIABLE + "); call assumeRestartable() first"
          : "Redis is not started: register RedisServerExtension on a static field");
    }
    return process;
  }
}
