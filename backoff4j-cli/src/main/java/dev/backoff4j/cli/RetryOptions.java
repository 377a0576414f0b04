package dev.backoff4j.cli;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How failed attempts are retried: the recipe's knobs on top of the {@link OpenAiRetryPolicy} preset.
 * The fields' initial values are the defaults, so a command that parses no flags ({@code demo}) gets
 * the same policy as one that does. The library checks every value; {@link Flags} names the flag.
 */
final class RetryOptions {

  static final int DEFAULT_MAX_RETRIES = 5;

  @Option(names = "--max-retries", paramLabel = "N",
      description = "Retries after the first attempt for failures (default: " + DEFAULT_MAX_RETRIES
          + "). Rate limits (429) are not counted: they are waited out until --deadline.")
  int maxRetries = DEFAULT_MAX_RETRIES;

  @Option(names = "--initial-delay", paramLabel = "DUR", converter = DurationConverter.class,
      description = "Backoff before the first retry, doubling after (default: 1s).")
  Duration initialDelay = Duration.ofSeconds(1);

  @Option(names = "--max-delay", paramLabel = "DUR", converter = DurationConverter.class,
      description = "Largest backoff (default: 8s, or the initial delay if larger). Server hints are honoured up to 60s.")
  Duration maxDelay;

  @Option(names = "--jitter", paramLabel = "KIND",
      description = "none, full, equal or decorrelated (default: equal: between half and all of the backoff).")
  String jitter = "equal";

  @Option(names = "--timeout", paramLabel = "DUR", converter = DurationConverter.class,
      description = "Longest one attempt may take once sent (default: 5m). For --stream, the longest silence between events.")
  Duration timeout;

  @Option(names = "--deadline", paramLabel = "DUR", converter = DurationConverter.class,
      description = "Longest all attempts and waits may take together (default: 10m).")
  Duration deadline;

  /**
   * The preset with these settings, logging nothing itself (the command's listener renders the
   * events). Without the preset's retry budget: a budget protects a server from many callers' retries,
   * while one command's requests are bounded already (one for {@code chat}, {@code --concurrency} for
   * {@code batch}), so a budget could only cut {@code --max-retries} short.
   *
   * @throws ConfigException naming the bad option
   */
  RetryPolicy<Object> policy(TimeSource time) {
    try {
      RetryPolicyBuilder<Object> builder = OpenAiRetryPolicy.builder(time)
          .maxRetries(maxRetries)
          .initialDelay(initialDelay)
          .maxDelay(maxDelay != null ? maxDelay : max(OpenAiRetryPolicy.MAX_DELAY, initialDelay))
          .jitter(jitter())
          .retryLogLevel(Level.OFF)
          .budget(null);
      if (timeout != null) {
        builder.attemptTimeout(timeout);
      }
      if (deadline != null) {
        builder.maxElapsed(deadline);
      }
      return builder.build();
    } catch (InvalidSettingException e) {
      throw Flags.translate(e);
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private Jitter jitter() {
    for (Jitter kind : Jitter.values()) {
      if (kind.name().equalsIgnoreCase(jitter.trim())) {
        return kind;
      }
    }
    throw new ConfigException("--jitter must be none, full, equal or decorrelated, was '" + jitter + "'");
  }
}
