package dev.backoff4j.openai.sdk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Properties;

/**
 * The SDK releases the bridge supports: from {@code lowest} (the oldest tested) within its major
 * version; {@code tested} is the newest tested, the one the BOM of backoff4j {@code bomVersion} sets.
 * Written into {@code sdk-range.properties} by the build from the root pom.
 */
record SdkRange(SdkVersion lowest, SdkVersion tested, String bomVersion) {

  static final String RESOURCE = "sdk-range.properties";

  SdkRange {
    Objects.requireNonNull(lowest, "lowest");
    Objects.requireNonNull(tested, "tested");
    Objects.requireNonNull(bomVersion, "bomVersion");
    if (lowest.compareTo(tested) > 0 || lowest.major() != tested.major()) {
      throw new IllegalArgumentException("lowest " + lowest + " must be at most tested " + tested + ", same major");
    }
  }

  /** The range this build of the bridge was made for. @throws IllegalStateException when the jar lacks it */
  static SdkRange ofThisBuild() {
    Properties properties = new Properties();
    try (InputStream in = SdkRange.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("backoff4j-openai-sdk's jar lacks " + SdkRange.class.getPackageName()
            .replace('.', '/') + "/" + RESOURCE + ": it was repackaged without its resources");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SdkRange(SdkVersion.of(properties.getProperty("lowest")),
        SdkVersion.of(properties.getProperty("tested")), properties.getProperty("bom", ""));
  }

  boolean isSupported(SdkVersion version) {
    return version.major() == lowest.major() && version.compareTo(lowest) >= 0;
  }

  /** {@code 4.41.0 to 4.101.0 (later 4.x releases are accepted, untested)}. */
  String describe() {
    return lowest + " to " + tested + " (later " + tested.major() + ".x releases are accepted, untested)";
  }

  /** The BOM's coordinates, {@code dev.backoff4j:backoff4j-bom:0.1.0}. */
  String bom() {
    return "dev.backoff4j:backoff4j-bom:" + bomVersion;
  }
}
