package dev.backoff4j.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the supported SDK range is written for people, it is the range the build checks and tests:
 * {@code openai-java.lowest.version} to {@code openai-java.version} of the root pom.
 */
class SupportedRangeIsStatedTest {

  private static final Path ROOT = Path.of(System.getProperty("backoff4j.root", ".."));
  /** "4.41.0 to 4.101.0", or any other "x.y.z to x.y.z": every such pair must be the build's range. */
  private static final Pattern RANGE = Pattern.compile("\\b(\\d+\\.\\d+\\.\\d+) to (\\d+\\.\\d+\\.\\d+)\\b");

  @ParameterizedTest
  @ValueSource(strings = {"README.md", "backoff4j-openai-sdk/README.md",
      "backoff4j-openai-sdk/src/main/java/dev/backoff4j/openai/sdk/Backoff4jOpenAI.java"})
  void theRangeIsTheOneTheBuildTests(String file) throws IOException {
    String text = Files.readString(ROOT.resolve(file));
    String range = SdkUnderTest.LOWEST + " to " + SdkUnderTest.TESTED;

    assertThat(text).as("%s states the supported SDK range", file).contains(range);
    Matcher matcher = RANGE.matcher(text);
    while (matcher.find()) {
      assertThat(matcher.group()).as("a version range in %s", file).isEqualTo(range);
    }
  }
}
