package dev.backoff4j.openai.sdk.internal;

/** Probes of the SDK's classes by name, which load nothing the caller has to link. */
final class SdkClasses {

  private SdkClasses() {}

  /** Whether {@code name} loads (without initializing it); {@code false} also when it fails to link. */
  static boolean exists(String name, ClassLoader loader) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
