package dev.backoff4j.openai.sdk;

import java.util.Optional;

/**
 * The official SDK on the class path cannot run the bridge: {@code openai-java-core} and
 * {@code openai-java-client-okhttp} are of different versions, one of them is missing, or their version
 * is outside the supported range. Thrown by {@link Backoff4jOpenAI.Builder#build()} and
 * {@link Backoff4jOpenAI.Builder#buildAsync()} before any client exists, instead of a
 * {@code NoClassDefFoundError} at the first call. The message names what was found, the supported
 * range and the fix: importing {@code dev.backoff4j:backoff4j-bom}, which sets all three
 * {@code com.openai} artifacts to the tested version.
 */
public final class UnsupportedSdkVersionException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String coreVersion;
  private final String clientOkHttpVersion;

  /**
   * @param message what was found, the supported range and the fix
   * @param coreVersion the {@code openai-java-core} version found, or null when unknown or absent
   * @param clientOkHttpVersion the {@code openai-java-client-okhttp} version found, or null when unknown
   *     or absent
   * @param cause why a class of the SDK failed to load, or null
   */
  public UnsupportedSdkVersionException(String message, String coreVersion, String clientOkHttpVersion,
      Throwable cause) {
    super(message, cause);
    this.coreVersion = coreVersion;
    this.clientOkHttpVersion = clientOkHttpVersion;
  }

  /** The {@code openai-java-core} version its jar's manifest states; empty when absent or unknown (shaded). */
  public Optional<String> coreVersion() {
    return Optional.ofNullable(coreVersion);
  }

  /** The {@code openai-java-client-okhttp} version its jar's manifest states; empty when absent or unknown. */
  public Optional<String> clientOkHttpVersion() {
    return Optional.ofNullable(clientOkHttpVersion);
  }
}
