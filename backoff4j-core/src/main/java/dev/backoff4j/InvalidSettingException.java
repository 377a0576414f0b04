package dev.backoff4j;

import dev.backoff4j.time.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * A builder was given a value it cannot accept. The message names the setting as the caller wrote it
 * ({@code retry policy setting 'maxRetries' must be at least 0, was -1}); {@link #setting()} and
 * {@link #problem()} let a front end (a CLI, a Spring property binder) say the same in its own terms,
 * e.g. {@code --max-retries must be at least 0, was -1}.
 *
 * <p>Range checks of a single value are made by the setter that receives it, so the stack trace points
 * at the line that set it; checks across settings are made by {@code build()}, naming the setting set
 * last in the rule's wording. Secrets are never part of the message.
 */
public class InvalidSettingException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String component;
  private final String setting;
  private final String problem;

  /**
   * @param component what is being configured, e.g. {@code "retry policy"}
   * @param setting the setter's name, e.g. {@code "maxRetries"}
   * @param problem the rule and, unless secret, the rejected value: {@code "must be at least 0, was -1"}
   */
  public InvalidSettingException(String component, String setting, String problem) {
    super(component + " setting '" + setting + "' " + problem);
    this.component = Objects.requireNonNull(component, "component");
    this.setting = Objects.requireNonNull(setting, "setting");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /**
   * Throws unless {@code valid}.
   *
   * @throws InvalidSettingException with {@code rule + ", was " + value}, a duration written the way
   *     people write them ({@code 500ms}, {@code -1.00s}) rather than {@code PT0.5S}
   */
  public static void check(boolean valid, String component, String setting, String rule, Object value) {
    if (!valid) {
      throw new InvalidSettingException(component, setting, rule + ", was " + show(value));
    }
  }

  /** A value as a message shows it: durations as {@link Durations#format} writes them. */
  public static String show(Object value) {
    if (value instanceof Duration duration) {
      return duration.isNegative() ? "-" + Durations.format(duration.negated()) : Durations.format(duration);
    }
    return String.valueOf(value);
  }

  /** What was being configured, e.g. {@code "retry policy"}. */
  public String component() {
    return component;
  }

  /** The setting's name as its setter spells it, e.g. {@code "maxRetries"}. */
  public String setting() {
    return setting;
  }

  /** The message without the component and setting: {@code "must be at least 0, was -1"}. */
  public String problem() {
    return problem;
  }
}
