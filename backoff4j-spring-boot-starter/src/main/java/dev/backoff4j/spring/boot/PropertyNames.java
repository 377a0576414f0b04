package dev.backoff4j.spring.boot;

import dev.backoff4j.InvalidSettingException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one map from library settings to the {@code backoff4j.openai.*} properties that set them (the
 * CLI's {@code Flags}, for Spring): a refused {@code maxRetries} is reported against
 * {@code backoff4j.openai.max-retries} ({@code backoff4j.openai.max-retries must be at least 0, was -1}),
 * and setting names inside the problem are renamed too
 * ({@code must be >= initialDelay} becomes {@code must be >= backoff4j.openai.initial-delay}).
 */
final class PropertyNames {

  /**
   * Setting → the bean property path under {@link Backoff4jProperties}. Setting names are unique
   * across the builders the properties feed (retry policy, budget, gate, pacer, pipeline).
   */
  private static final Map<String, String> FIELD_OF_SETTING = Map.ofEntries(
      Map.entry("maxRetries", "maxRetries"),
      Map.entry("maxAttempts", "maxRetries"),
      Map.entry("initialDelay", "initialDelay"),
      Map.entry("maxDelay", "maxDelay"),
      Map.entry("maxServerDelay", "maxServerDelay"),
      Map.entry("attemptTimeout", "attemptTimeout"),
      Map.entry("timeout", "attemptTimeout"),
      Map.entry("maxElapsed", "deadline"),
      Map.entry("baseUrl", "baseUrl"),
      Map.entry("apiKey", "apiKey"),
      Map.entry("organization", "organization"),
      Map.entry("project", "project"),
      Map.entry("requestsPerMinute", "pacing.rpm"),
      Map.entry("tokensPerMinute", "pacing.tpm"),
      Map.entry("ratio", "budget.ratio"),
      Map.entry("successRatio", "budget.successRatio"),
      Map.entry("minRetriesPerSecond", "budget.minRetriesPerSecond"),
      Map.entry("maxBalance", "budget.maxBalance"),
      Map.entry("onBudgetExhausted", "budget.whenExhausted"),
      Map.entry("maxRateLimitRetries", "maxRateLimitRetries"),
      Map.entry("failuresToClose", "gate.failuresToClose"),
      Map.entry("probeInitialDelay", "gate.probeInitialDelay"),
      Map.entry("probeMaxDelay", "gate.probeMaxDelay"),
      Map.entry("whenClosed", "gate.whenClosed"));

  private static final Pattern SETTING_NAME =
      Pattern.compile("\\b(" + String.join("|", FIELD_OF_SETTING.keySet()) + ")\\b");
  private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

  private PropertyNames() {}

  /**
   * What a refusal says in property terms.
   *
   * @param field the bean property path to reject, e.g. {@code pacing.rpm}; {@code null} when no
   *     property sets the setting (the rejection is then the object's)
   * @param message the property and the problem, e.g. {@code backoff4j.openai.pacing.rpm must be a
   *     positive number, was -5.0}: Spring Boot's start-up report shows it as the reason, and its
   *     "Property:" line spells the field in camel case
   */
  record Rejection(String field, String property, String message) {}

  static Rejection of(InvalidSettingException e) {
    String field = FIELD_OF_SETTING.get(e.setting());
    if (field == null) {
      return new Rejection(null, null, e.getMessage()); // not set by a property: the library's words
    }
    Matcher names = SETTING_NAME.matcher(e.problem());
    StringBuilder problem = new StringBuilder();
    while (names.find()) {
      names.appendReplacement(problem, Matcher.quoteReplacement(property(FIELD_OF_SETTING.get(names.group(1)))));
    }
    names.appendTail(problem);
    String property = property(field);
    return new Rejection(field, property, property + " " + problem);
  }

  /** {@code pacing.rpm} → {@code backoff4j.openai.pacing.rpm}, {@code maxRetries} → {@code backoff4j.openai.max-retries}. */
  static String property(String field) {
    return Backoff4jProperties.PREFIX + "." + CAMEL_HUMP.matcher(field).replaceAll("$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
