package dev.backoff4j.openai.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.openai.sdk.UnsupportedSdkVersionException;
import dev.backoff4j.openai.sdk.internal.SdkClasspath.Jar;
import dev.backoff4j.openai.sdk.internal.SdkVersionCheck.Verdict;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The rules of the SDK version check, on hand-made class paths; the real ones are in backoff4j-it. */
class SdkVersionCheckTest {

  private static final SdkRange RANGE = new SdkRange(SdkVersion.of("4.41.0"), SdkVersion.of("4.101.0"), "1.2.3");
  private static final LinkageError WEB_SOCKET_MISSING =
      new NoClassDefFoundError("com/openai/core/http/WebSocketClient");

  private static SdkClasspath sdk(String core, String okHttp) {
    return new SdkClasspath(Jar.of(SdkClasspath.CORE, core), Jar.of(SdkClasspath.CLIENT_OKHTTP, okHttp), null,
        List.of());
  }

  private static Verdict judge(SdkClasspath found) {
    return SdkVersionCheck.judge(RANGE, found);
  }

  private static String failure(SdkClasspath found) {
    Verdict verdict = judge(found);
    assertThat(verdict.passed()).as("verdict on %s", found).isFalse();
    return verdict.failure();
  }

  @Test
  void theLowestAndTheHighestTestedVersionPassWithoutANote() {
    for (String version : List.of("4.41.0", "4.49.0", "4.101.0")) {
      Verdict verdict = judge(sdk(version, version));
      assertThat(verdict.passed()).as(version).isTrue();
      assertThat(verdict.note()).as(version).isNull();
    }
  }

  @Test
  void coreOlderThanClientOkHttpFailsNamingBothVersionsTheRangeAndTheBomImport() {
    String message = failure(new SdkClasspath(Jar.of(SdkClasspath.CORE, "4.49.0"),
        Jar.of(SdkClasspath.CLIENT_OKHTTP, "4.101.0"), WEB_SOCKET_MISSING, List.of()));

    assertThat(message)
        .startsWith("openai-java-core 4.49.0 and openai-java-client-okhttp 4.101.0 are on the class path")
        .contains("com/openai/core/http/WebSocketClient")
        .contains("needs both at the same version, 4.41.0 to 4.101.0")
        .contains("Spring AI")
        .contains("dev.backoff4j:backoff4j-bom:1.2.3")
        .contains("<groupId>dev.backoff4j</groupId><artifactId>backoff4j-bom</artifactId><version>1.2.3</version>"
            + "<type>pom</type><scope>import</scope>")
        .contains("implementation(platform(\"dev.backoff4j:backoff4j-bom:1.2.3\"))")
        .contains("openai-java-core and openai-java-client-okhttp to 4.101.0");
  }

  @Test
  void differentVersionsFailEvenWhenTheClientLinks() {
    assertThat(failure(sdk("4.101.0", "4.49.0")))
        .startsWith("openai-java-core 4.101.0 and openai-java-client-okhttp 4.49.0 are on the class path");
  }

  @Test
  void versionsOlderThanTheLowestFail() {
    assertThat(failure(sdk("4.40.9", "4.40.9")))
        .startsWith("The SDK on the class path is openai-java 4.40.9 (openai-java-core and openai-java-client-okhttp)")
        .contains("supports 4.41.0 to 4.101.0")
        .contains("dev.backoff4j:backoff4j-bom:1.2.3");
    assertThat(failure(sdk("4.0.0", "4.0.0"))).contains("openai-java 4.0.0");
    assertThat(failure(sdk("3.9.0", "3.9.0"))).contains("openai-java 3.9.0");
  }

  @Test
  void anotherMajorVersionFailsEvenThoughItIsNewer() {
    assertThat(failure(sdk("5.0.0", "5.0.0")))
        .contains("openai-java 5.0.0")
        .contains("another major version of the SDK may change the types the bridge calls");
  }

  @Test
  void aNewerReleaseOfTheSameMajorPassesWithANoteAtInfo() {
    Verdict verdict = judge(sdk("4.105.0", "4.105.0"));

    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.noteLevel()).isEqualTo(Level.INFO);
    assertThat(verdict.note()).contains("openai-java 4.105.0").contains("newer than 4.101.0")
        .contains("dev.backoff4j:backoff4j-bom:1.2.3");
  }

  @Test
  void unknownVersionsThatHaveWhatTheBridgeCallsPass() {
    Verdict verdict = judge(sdk(null, null));

    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.noteLevel()).isEqualTo(Level.DEBUG);
    assertThat(verdict.note()).contains("version is unknown").contains("shaded");
  }

  @Test
  void unknownVersionsWhoseClientDoesNotLinkFailAsAMismatch() {
    String message = failure(new SdkClasspath(Jar.of(SdkClasspath.CORE, null),
        Jar.of(SdkClasspath.CLIENT_OKHTTP, null), WEB_SOCKET_MISSING, List.of()));

    assertThat(message)
        .startsWith("openai-java-client-okhttp does not fit the openai-java-core beside it")
        .contains("openai-java-core (version unknown), openai-java-client-okhttp (version unknown)")
        .contains("shaded")
        .contains("com/openai/core/http/WebSocketClient")
        .contains("needs both at the same version, 4.41.0 to 4.101.0")
        .contains("dev.backoff4j:backoff4j-bom:1.2.3");
  }

  @Test
  void anUnknownVersionLackingAMemberTheBridgeCallsFailsAsTooOld() {
    String message = failure(new SdkClasspath(Jar.of(SdkClasspath.CORE, null),
        Jar.of(SdkClasspath.CLIENT_OKHTTP, null), null, List.of("com.openai.core.http.HttpRequest.url()")));

    assertThat(message)
        .startsWith("openai-java-core (version unknown) lacks com.openai.core.http.HttpRequest.url()")
        .contains("older than 4.41.0")
        .contains("dev.backoff4j:backoff4j-bom:1.2.3");
  }

  @Test
  void oneKnownVersionIsJudgedAlone() {
    assertThat(judge(sdk("4.60.0", null)).passed()).isTrue();
    assertThat(failure(sdk(null, "4.0.0"))).contains("openai-java-client-okhttp 4.0.0");
  }

  @Test
  void aMissingJarFailsNamingIt() {
    assertThat(failure(new SdkClasspath(Jar.of(SdkClasspath.CORE, "4.49.0"), Jar.absent(SdkClasspath.CLIENT_OKHTTP),
        null, List.of())))
        .startsWith("openai-java-client-okhttp is not on the class path (openai-java-core 4.49.0 is)");
    assertThat(failure(new SdkClasspath(Jar.absent(SdkClasspath.CORE), Jar.absent(SdkClasspath.CLIENT_OKHTTP),
        null, List.of())))
        .startsWith("openai-java-core is not on the class path;");
  }

  @Test
  void aFailureThrowsOnEveryBuildWithTheVersionsAndTheLinkError() {
    SdkVersionCheck check = new SdkVersionCheck(judge(new SdkClasspath(Jar.of(SdkClasspath.CORE, "4.49.0"),
        Jar.of(SdkClasspath.CLIENT_OKHTTP, "4.101.0"), WEB_SOCKET_MISSING, List.of())), new RecordingLogger());

    for (int build = 0; build < 2; build++) {
      assertThatThrownBy(check::verify)
          .isInstanceOfSatisfying(UnsupportedSdkVersionException.class, e -> {
            assertThat(e.coreVersion()).hasValue("4.49.0");
            assertThat(e.clientOkHttpVersion()).hasValue("4.101.0");
          })
          .hasCause(WEB_SOCKET_MISSING);
    }
  }

  @Test
  void aNoteIsLoggedOnceHoweverManyClientsAreBuilt() {
    RecordingLogger logger = new RecordingLogger();
    SdkVersionCheck check = new SdkVersionCheck(judge(sdk("4.105.0", "4.105.0")), logger);

    check.verify();
    check.verify();
    check.verify();
    assertThat(logger.lines).singleElement().satisfies(line -> assertThat(line).startsWith("INFO ")
        .contains("4.105.0"));
  }

  @Test
  void theClassPathOfThisBuildIsTheTestedSdkAndPasses() {
    SdkClasspath found = SdkClasspath.of(getClass().getClassLoader());

    assertThat(found.core().version()).hasValue("4.101.0");
    assertThat(found.clientOkHttp().version()).hasValue("4.101.0");
    assertThat(found.okHttpLinkFailure()).isNull();
    assertThat(found.missingMembers()).isEmpty();
    assertThat(SdkRange.ofThisBuild().tested()).isEqualTo(SdkVersion.of("4.101.0"));
    assertThat(judge(found).passed()).isTrue();
    SdkVersionCheck.verifyClasspath();
  }

  @Test
  void versionsParseWithSuffixesAndCompareNumerically() {
    assertThat(SdkVersion.parse("4.101.0")).hasValue(new SdkVersion(4, 101, 0));
    assertThat(SdkVersion.parse("4.0.0-beta.1")).hasValue(new SdkVersion(4, 0, 0));
    assertThat(SdkVersion.parse("unknown")).isEmpty();
    assertThat(SdkVersion.parse("4.101")).isEmpty();
    assertThat(SdkVersion.parse(null)).isEmpty();
    assertThat(SdkVersion.of("4.101.0")).isGreaterThan(SdkVersion.of("4.99.9"));
    assertThat(SdkVersion.of("4.63.3")).isGreaterThan(SdkVersion.of("4.63.1"));
  }

  /** Records what is logged, as {@code "LEVEL message"}. */
  private static final class RecordingLogger implements System.Logger {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
      lines.add(level + " " + message);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(level + " " + format);
    }
  }
}
