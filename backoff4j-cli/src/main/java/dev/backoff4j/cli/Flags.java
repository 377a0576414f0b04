package dev.backoff4j.cli;

import dev.backoff4j.InvalidSettingException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one map from library settings to the flags that set them, so a refused value is reported as the
 * user typed it: {@code retry policy setting 'maxRetries' must be at least 0, was -1} becomes
 * {@code --max-retries must be at least 0, was -1}. The library checks the values; the CLI only
 * renames.
 */
final class Flags {

  private static final Map<String, String> FLAG_OF_SETTING = Map.ofEntries(
      Map.entry("maxRetries", "--max-retries"),
      Map.entry("maxAttempts", "--max-retries"),
      Map.entry("initialDelay", "--initial-delay"),
      Map.entry("maxDelay", "--max-delay"),
      Map.entry("attemptTimeout", "--timeout"),
      Map.entry("timeout", "--timeout"),
      Map.entry("maxElapsed", "--deadline"),
      Map.entry("baseUrl", "--base-url"),
      Map.entry("requestsPerMinute", "--rpm"),
      Map.entry("tokensPerMinute", "--tpm"),
      Map.entry("concurrency", "--concurrency"),
      Map.entry("input", "INPUT"),
      Map.entry("output", "--output"));

  private static final Pattern SETTING_NAME = Pattern.compile("\\b(" + String.join("|", FLAG_OF_SETTING.keySet()) + ")\\b");

  private Flags() {}

  /** The flag that sets {@code setting}; the setting itself when no flag does ({@code $OPENAI_BASE_URL}). */
  static String of(String setting) {
    return FLAG_OF_SETTING.getOrDefault(setting, setting);
  }

  /** {@code e} in the CLI's words, as a usage error (exit status 2). */
  static ConfigException translate(InvalidSettingException e) {
    Matcher names = SETTING_NAME.matcher(e.problem());
    StringBuilder problem = new StringBuilder();
    while (names.find()) {
      names.appendReplacement(problem, Matcher.quoteReplacement(of(names.group(1))));
    }
    names.appendTail(problem);
    return new ConfigException(of(e.setting()) + " " + problem, e);
  }
}
