package dev.backoff4j.cli;

import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.retry.event.RetryListener;
import dev.backoff4j.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How failed attempts are retried: the recipe's knobs on top of the {@link OpenAiRetryPolicy} preset. */
final class RetryOptions {

  static final int DEFAULT_MAX_RETRIES = 5;

  @Option(names = "--max-retries", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_RETRIES,
      description = "Retries after the first attempt (default: ${DEFAULT-VALUE}).")
  int maxRetries;

  @Option(names = "--initial-delay", paramLabel = "DUR", defaultValue = "1s", converter = DurationConverter.class,
      description = "Backoff before the first retry, doubling after (default: ${DEFAULT-VALUE}).")
  Duration initialDelay;

  @Option(names = "--max-delay", paramLabel = "DUR", converter = DurationConverter.class,
      description = "Largest backoff (default: 8s, or the initial delay if larger). Server hints are honoured up to 60s.")
  Duration maxDelay;

  @Option(names = "--jitter", paramLabel = "KIND", defaultValue = "equal",
      description = "none, full, equal or decorrelated (default: ${DEFAULT-VALUE}: between half and all of the backoff).")
  String jitter;

  @Option(names = "--timeout", paramLabel = "DUR", converter = DurationConverter.class,
      description = "Longest one attempt may take (default: 5m). For --stream, the longest silence between events.")
  Duration timeout;

  @Option(names = "--deadline", paramLabel = "DUR", converter = DurationConverter.class,
      description = "Longest all attempts and waits may take together (default: 10m).")
  Duration deadline;

  /**
   * The preset with these settings, logging nothing itself ({@code listener} renders the events).
   * Without the preset's retry budget: a budget protects a server from many callers' retries, while
   * one command's requests are bounded already (one for {@code chat}, {@code --concurrency} for
   * {@code batch}), so a budget could only cut {@code --max-retries} short.
   *
   * @throws ConfigException naming the bad option
   */
  RetryPolicy<Object> policy(RetryListener listener) {
    check(maxRetries >= 0, "--max-retries must be 0 or more, was " + maxRetries);
    check(timeout == null || !timeout.isZero(), "--timeout must be more than 0");
    check(deadline == null || !deadline.isZero(), "--deadline must be more than 0");
    Duration cap = maxDelay != null ? maxDelay
        : OpenAiRetryPolicy.MAX_DELAY.compareTo(initialDelay) >= 0 ? OpenAiRetryPolicy.MAX_DELAY : initialDelay;
    check(cap.compareTo(initialDelay) >= 0, "--max-delay (" + maxDelay + ") must not be less than --initial-delay ("
        + initialDelay + ")");
    RetryPolicyBuilder<Object> builder = OpenAiRetryPolicy.builder(TimeSource.system())
        .maxRetries(maxRetries)
        .initialDelay(initialDelay)
        .maxDelay(cap)
        .jitter(jitter())
        .retryLogLevel(Level.OFF)
        .budget(null);
    if (listener != null) {
      builder.listener(listener);
    }
    if (timeout != null) {
      builder.attemptTimeout(timeout);
    }
    if (deadline != null) {
      builder.maxElapsed(deadline);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private Jitter jitter() {
    for (Jitter kind : Jitter.values()) {
      if (kind.name().equalsIgnoreCase(jitter.trim())) {
        return kind;
      }
    }
    throw new ConfigException("--jitter must be none, full, equal or decorrelated, was '" + jitter + "'");
  }

  private static void check(boolean valid, String message) {
    if (!valid) {
      throw new ConfigException(message);
    }
  }
}
