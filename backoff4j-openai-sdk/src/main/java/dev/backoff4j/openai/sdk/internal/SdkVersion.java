package dev.backoff4j.openai.sdk.internal;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An openai-java release number, {@code major.minor.patch}; a suffix ({@code -beta.1}) is ignored. */
record SdkVersion(int major, int minor, int patch) implements Comparable<SdkVersion> {

  private static final Pattern NUMBERS = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})(?:[-+.].*)?");
  private static final Comparator<SdkVersion> ORDER = Comparator.comparingInt(SdkVersion::major)
      .thenComparingInt(SdkVersion::minor).thenComparingInt(SdkVersion::patch);

  /** {@code text} as a version; empty when it is not one (null, blank, {@code "unknown"}, ...). */
  static Optional<SdkVersion> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher matcher = NUMBERS.matcher(text.trim());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(new SdkVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
        Integer.parseInt(matcher.group(3))));
  }

  /** {@code text} as a version. @throws IllegalArgumentException when it is not one */
  static SdkVersion of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("not an SDK version: " + text));
  }

  @Override
  public int compareTo(SdkVersion other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
