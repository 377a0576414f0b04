package dev.backoff4j.openai.sdk.internal;

import dev.backoff4j.openai.sdk.UnsupportedSdkVersionException;
import dev.backoff4j.openai.sdk.internal.SdkClasspath.Jar;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the SDK on the class path can run the bridge, decided before the bridge touches a class a
 * release may lack, so a wrong SDK fails at {@code build()} with a message saying what to do, not with
 * a {@code NoClassDefFoundError} at the first call.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>{@code openai-java-core} and {@code openai-java-client-okhttp} must both be there;
 *   <li>they must be of the same version, and the SDK's {@code OkHttpClient} must link against that
 *       core (a newer client-okhttp names core types an older core lacks: the Spring AI 2.0.1 case,
 *       core 4.49.0 beside client-okhttp 4.101.0);
 *   <li>a known version must lie in the {@link SdkRange}: not older than the oldest tested, not of
 *       another major version (a new major may change the types the bridge calls);
 *   <li>every SDK member the bridge calls must exist (this catches an old SDK whose version is unknown);
 *   <li>a version newer than the newest tested passes, noted once at {@code INFO}: the types the bridge
 *       uses did not change across the tested range, and failing every new SDK release until backoff4j
 *       catches up would break working builds. An unknown version (a shaded jar without the SDK's
 *       manifest) that passes the probes is noted at {@code DEBUG}.
 * </ol>
 */
public final class SdkVersionCheck {

  private static final Logger LOGGER = System.getLogger("dev.backoff4j.openai.sdk");

  private final Verdict verdict;
  private final Logger logger;
  private final AtomicBoolean noted = new AtomicBoolean();

  SdkVersionCheck(Verdict verdict, Logger logger) {
    this.verdict = Objects.requireNonNull(verdict, "verdict");
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  /**
   * Checks the SDK beside the bridge (read once per class loader; the class path does not change).
   *
   * @throws UnsupportedSdkVersionException when the bridge cannot run on it
   */
  public static void verifyClasspath() {
    OfThisClasspath.CHECK.verify();
  }

  /** Read on first use; never throws, so a failure is reported on every build, not once. */
  private static final class OfThisClasspath {
    static final SdkVersionCheck CHECK = new SdkVersionCheck(read(), LOGGER);

    private static Verdict read() {
      SdkRange range;
      try {
        range = SdkRange.ofThisBuild();
      } catch (RuntimeException e) {
        return Verdict.failure(e.getMessage(), null, null, e);
      }
      return judge(range, SdkClasspath.of(SdkVersionCheck.class.getClassLoader()));
    }
  }

  /** Throws when the verdict is a failure; otherwise logs its note, the first time only. */
  void verify() {
    if (verdict.failure() != null) {
      throw new UnsupportedSdkVersionException(verdict.failure(), verdict.coreVersion(), verdict.clientOkHttpVersion(),
          verdict.cause());
    }
    if (verdict.note() != null && noted.compareAndSet(false, true)) {
      logger.log(verdict.noteLevel(), verdict.note());
    }
  }

  /**
   * The outcome of the check: a failure message, or a pass with an optional note to log.
   *
   * @param coreVersion the core version found (for the exception), or null
   * @param clientOkHttpVersion the client-okhttp version found, or null
   */
  record Verdict(String failure, String coreVersion, String clientOkHttpVersion, Throwable cause, String note,
      Level noteLevel) {

    static Verdict failure(String message, String coreVersion, String clientOkHttpVersion, Throwable cause) {
      return new Verdict(message, coreVersion, clientOkHttpVersion, cause, null, null);
    }

    static Verdict pass(Level level, String note) {
      return new Verdict(null, null, null, null, note, level);
    }

    boolean passed() {
      return failure == null;
    }
  }

  /** The rules of the class javadoc applied to what was found. */
  static Verdict judge(SdkRange range, SdkClasspath found) {
    Jar core = found.core();
    Jar okHttp = found.clientOkHttp();
    String coreVersion = core.version().orElse(null);
    String okHttpVersion = okHttp.version().orElse(null);
    if (!core.present() || !okHttp.present()) {
      Jar missing = core.present() ? okHttp : core;
      Jar other = core.present() ? core : okHttp;
      String beside = other.present() ? " (" + other.describe() + " is)" : "";
      return Verdict.failure(missing.artifact() + " is not on the class path" + beside
          + "; backoff4j-openai-sdk needs openai-java-core and openai-java-client-okhttp at the same version, "
          + range.describe() + "." + fix(range), coreVersion, okHttpVersion, null);
    }
    boolean differ = coreVersion != null && okHttpVersion != null && !coreVersion.equals(okHttpVersion);
    if (differ || found.okHttpLinkFailure() != null) {
      String state = differ
          ? core.describe() + " and " + okHttp.describe() + " are on the class path"
          : okHttp.artifact() + " does not fit the " + core.artifact() + " beside it (" + versions(core, okHttp)
              + (coreVersion == null || okHttpVersion == null ? "; a shaded jar without the SDK's manifests?" : "")
              + ")";
      String link = found.okHttpLinkFailure() == null ? ""
          : " (the SDK's com.openai.client.okhttp.OkHttpClient does not load: " + found.okHttpLinkFailure() + ")";
      return Verdict.failure(state + link + "; backoff4j-openai-sdk needs both at the same version, "
          + range.describe() + ". A framework that depends on openai-java-core directly (Spring AI's"
          + " spring-ai-openai, for one) can bring a core older than the bridge's client-okhttp." + fix(range),
          coreVersion, okHttpVersion, found.okHttpLinkFailure());
    }
    Optional<SdkVersion> version = SdkVersion.parse(coreVersion != null ? coreVersion : okHttpVersion);
    if (version.isPresent() && !range.isSupported(version.get())) {
      String why = version.get().major() != range.lowest().major()
          ? " (another major version of the SDK may change the types the bridge calls)"
          : "";
      return Verdict.failure("The SDK on the class path is " + versions(core, okHttp) + "; backoff4j-openai-sdk"
          + " supports " + range.describe() + why + "." + fix(range), coreVersion, okHttpVersion, null);
    }
    if (!found.missingMembers().isEmpty()) {
      return Verdict.failure(core.describe() + " lacks " + String.join(", ", found.missingMembers())
          + ", which backoff4j-openai-sdk calls: it is older than " + range.lowest()
          + "; backoff4j-openai-sdk supports " + range.describe() + "." + fix(range), coreVersion, okHttpVersion, null);
    }
    if (version.isEmpty()) {
      return Verdict.pass(Level.DEBUG, "The openai-java version is unknown (" + versions(core, okHttp)
          + "; a shaded jar without the SDK's manifests?); the SDK has every member backoff4j-openai-sdk calls");
    }
    if (version.get().compareTo(range.tested()) > 0) {
      return Verdict.pass(Level.INFO, "The SDK on the class path, " + versions(core, okHttp) + ", is newer than " + range.tested()
          + ", the newest release backoff4j-openai-sdk " + range.bomVersion() + " was tested with; the SDK"
          + " types the bridge calls did not change from " + range.lowest() + " to " + range.tested()
          + ". If bridged calls fail, import " + range.bom() + " to run on " + range.tested() + ".");
    }
    return Verdict.pass(null, null);
  }

  /** {@code openai-java 4.49.0 (core and client-okhttp)} when they agree, else each jar's version. */
  private static String versions(Jar core, Jar okHttp) {
    if (core.version().isPresent() && core.version().equals(okHttp.version())) {
      return "openai-java " + core.version().get() + " (openai-java-core and openai-java-client-okhttp)";
    }
    return core.describe() + ", " + okHttp.describe();
  }

  /** How to get a supported SDK: the BOM's import snippet for Maven and Gradle, or pinning by hand. */
  private static String fix(SdkRange range) {
    String v = range.bomVersion();
    return "\nFix: import backoff4j's BOM, " + range.bom() + ", which sets com.openai:openai-java, openai-java-core"
        + " and openai-java-client-okhttp to " + range.tested() + " (import it before any other BOM that manages"
        + " com.openai), or pin those three to one supported version yourself."
        + "\n  Maven, in <dependencyManagement><dependencies>: <dependency><groupId>dev.backoff4j</groupId>"
        + "<artifactId>backoff4j-bom</artifactId><version>" + v + "</version><type>pom</type>"
        + "<scope>import</scope></dependency>"
        + "\n  Gradle: implementation(platform(\"" + range.bom() + "\"))";
  }
}
