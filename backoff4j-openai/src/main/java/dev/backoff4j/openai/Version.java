package dev.backoff4j.openai;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** backoff4j's version, from a resource Maven fills in at build time, so it cannot drift from the POM. */
public final class Version {

  private static final String VERSION = load();

  private Version() {}

  /** e.g. {@code 0.1.0}; {@code unknown} when run from unfiltered sources. */
  public static String get() {
    return VERSION;
  }

  /** {@code backoff4j/0.1.0 Java/17.0.15}. */
  public static String userAgent() {
    return "backoff4j/" + VERSION + " Java/" + System.getProperty("java.version");
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("/dev/backoff4j/openai/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
