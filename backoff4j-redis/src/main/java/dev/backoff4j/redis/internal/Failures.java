package dev.backoff4j.redis.internal;

import dev.backoff4j.redis.internal.StoreResult.Unavailable;
import dev.backoff4j.redis.internal.StoreResult.Why;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns whatever a Lettuce or Bucket4j future failed with into a typed {@link Unavailable}. */
final class Failures {

  private Failures() {}

  static <T> Unavailable<T> classify(Throwable failure, Duration elapsed) {
    Throwable cause = unwrap(failure);
    return new Unavailable<>(why(cause), elapsed, describe(cause), cause);
  }

  static <T> Unavailable<T> notConnected(Duration elapsed, String detail) {
    return new Unavailable<>(Why.NOT_CONNECTED, elapsed, detail, null);
  }

  static Why why(Throwable cause) {
    if (cause instanceof TimeoutException
        || cause instanceof RedisCommandTimeoutException
        || cause instanceof io.github.bucket4j.TimeoutException) {
      return Why.TIMEOUT;
    }
    if (cause instanceof RedisConnectionException) {
      return Why.NOT_CONNECTED;
    }
    if (cause instanceof RedisReadOnlyException || cause instanceof RedisLoadingException
        || cause instanceof RedisBusyException) {
      return Why.FAILOVER;
    }
    if (cause instanceof RedisCommandExecutionException) {
      String message = String.valueOf(cause.getMessage()).toUpperCase(Locale.ROOT);
      // Error replies during failover and resharding: retry elsewhere later, not a bug.
      for (String prefix : new String[] {"READONLY", "LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "BUSY"}) {
        if (message.startsWith(prefix)) {
          return Why.FAILOVER;
        }
      }
      return Why.ERROR;
    }
    if (cause instanceof RedisException || cause instanceof IOException) {
      String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
      // Lettuce reports a rejected command (DisconnectedBehavior.REJECT_COMMANDS) and a broken
      // connection as plain RedisExceptions; their messages are the only difference.
      if (message.contains("not connected") || message.contains("rejected")) {
        return Why.NOT_CONNECTED;
      }
      if (message.contains("closed") || message.contains("reset") || message.contains("disconnected")
          || cause instanceof IOException) {
        return Why.CONNECTION_LOST;
      }
    }
    return Why.ERROR;
  }

  static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /**
   * One line: the failure and, when it wraps another (Lettuce's "Unable to connect" wraps the
   * server's WRONGPASS or the socket's "Connection refused"), the innermost cause.
   */
  static String describe(Throwable failure) {
    Throwable root = failure;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
      root = root.getCause();
    }
    String line = oneLine(failure);
    return RedisUrls.redact(root == failure ? line : line + "; cause: " + oneLine(root));
  }

  private static String oneLine(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
