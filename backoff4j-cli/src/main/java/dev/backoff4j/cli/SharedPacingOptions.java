package dev.backoff4j.cli;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.pacing.PacerListener;
import dev.backoff4j.openai.pacing.SharedStoreBack;
import dev.backoff4j.openai.pacing.SharedStoreDown;
import dev.backoff4j.redis.RedisFleetPacing;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * {@code --redis URL} (else {@code $BACKOFF4J_REDIS_URL}): the pacer shares the rate limit with every
 * other backoff4j process that uses the same key and Redis. The URL may hold a password: it is
 * printed masked, always.
 */
final class SharedPacingOptions {

  static final String VARIABLE = "BACKOFF4J_REDIS_URL";
  /** How long the command waits for Redis at start before pacing alone until it answers. */
  static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

  @Option(names = "--redis", paramLabel = "URL",
      description = "Share the rate limit with the other processes using the same key through this Redis: "
          + "redis://[[user]:password@]host[:port][/db] or rediss://... (default: $" + VARIABLE + "). "
          + "While Redis is down each process paces alone on its share; no request fails for it.")
  String redis;

  /** The URL and where it came from, or {@code null} when neither the flag nor the variable is set. */
  private String[] url(Environment environment) {
    if (redis != null) {
      if (redis.isBlank()) {
        throw new ConfigException("--redis must not be empty");
      }
      return new String[] {redis.trim(), "--redis"};
    }
    String fromEnvironment = environment.apply(VARIABLE);
    return fromEnvironment == null || fromEnvironment.isBlank() ? null
        : new String[] {fromEnvironment.trim(), "$" + VARIABLE};
  }

  /**
   * Connects to the Redis given, waiting at most {@link #CONNECT_WAIT} (Redis not answering is a
   * warning, not an error: the pacer paces alone until it does).
   *
   * @return the store, to close when the command ends; {@code null} when no Redis is given
   * @throws ConfigException naming the flag or the variable when the URL is not a Redis URL
   */
  RedisFleetPacing open(Environment environment, PrintWriter err, boolean quiet) {
    String[] given = url(environment);
    if (given == null) {
      return null;
    }
    RedisFleetPacing store;
    try {
      store = RedisFleetPacing.builder().redisUrl(given[0]).build();
    } catch (InvalidSettingException e) {
      throw new ConfigException(given[1] + " " + e.problem(), e);
    }
    boolean connected;
    try {
      connected = store.connected().get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connected = false;
    } catch (Exception e) {
      connected = false;
    }
    String masked = RedisFleetPacing.masked(given[0]);
    if (!connected) {
      err.println("warning: Redis at " + masked + " does not answer; pacing alone until it does");
    } else if (!quiet) {
      err.println("pacing shared through Redis at " + masked);
    }
    err.flush();
    return store;
  }

  /**
   * Says on {@code err} when this process starts and stops pacing alone; the URL's user and password,
   * should a reason ever quote them, are masked.
   */
  PacerListener outageLines(Environment environment, PrintWriter err) {
    String[] given = url(environment);
    String secret = given == null ? null : userInfo(given[0]);
    return new PacerListener() {
      @Override
      public void onSharedStoreDown(SharedStoreDown event) {
        String reason = secret == null ? event.reason() : event.reason().replace(secret, "***");
        err.println("warning: Redis unavailable (" + reason + "); pacing alone on 1/"
            + event.liveInstances() + " of the limit");
        err.flush();
      }

      @Override
      public void onSharedStoreBack(SharedStoreBack event) {
        err.println("Redis is back after " + InvalidSettingException.show(event.downFor()) + "; pacing shared again");
        err.flush();
      }
    };
  }

  /** What sits between the scheme and the last {@code @}: user and password; null when none. */
  private static String userInfo(String url) {
    int at = url.lastIndexOf('@');
    int scheme = url.indexOf("://");
    if (at < 0) {
      return null;
    }
    String info = url.substring(scheme >= 0 && scheme < at ? scheme + 3 : 0, at);
    return info.isEmpty() ? null : info;
  }
}
