package dev.backoff4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The READMEs' Java blocks are the regions the other tests of this module compile and run. */
class ReadmeSnippetsTest {

  @Test
  void everyJavaBlockOfEveryReadmeIsATestedRegion() throws IOException {
    List<String> problems = ReadmeSnippets.check(Docs.ROOT);
    assertThat(problems)
        .as("README Java blocks against the regions in %s (scripts/sync-readme-snippets rewrites the"
            + " blocks from the regions)", ReadmeSnippets.SOURCES)
        .isEmpty();
  }

  @Test
  void theReadmesScannedIncludeTheRootAndEveryModule() throws IOException {
    assertThat(ReadmeSnippets.markdownFiles(Docs.ROOT).stream().map(p -> Docs.ROOT.relativize(p).toString()))
        .contains("README.md", "backoff4j-core/README.md", "backoff4j-openai/README.md",
            "backoff4j-openai-sdk/README.md", "backoff4j-mock/README.md", "backoff4j-cli/README.md")
        .noneMatch(p -> p.contains("target/") || p.contains("node_modules"));
  }

  // The checker itself, on a scratch repository.

  @Test
  void matchingBlockPasses(@TempDir Path root) throws IOException {
    source(root, "// tag::hello[]", "import a.B;", "// end::hello[]", "class X {", "  void f() {",
        "    // tag::hello[]", "    B.hello();", "    // end::hello[]", "  }", "}");
    readme(root, "<!-- snippet: hello -->", "```java", "import a.B;", "", "B.hello();", "```");

    assertThat(ReadmeSnippets.check(root)).isEmpty();
  }

  @Test
  void differingBlockIsReportedAndRewritten(@TempDir Path root) throws IOException {
    source(root, "class X {", "  // tag::hello[]", "  B.hello(); // new", "  // end::hello[]", "}");
    Path readme = readme(root, "Text.", "<!-- snippet: hello -->", "```java", "B.hello();", "```", "More.");

    assertThat(ReadmeSnippets.check(root)).singleElement().asString()
        .startsWith("README.md:3: snippet 'hello' differs from its region in ")
        .contains("README has 'B.hello();', region has 'B.hello(); // new'");

    ReadmeSnippets.Result result = ReadmeSnippets.sync(root, true);
    assertThat(result.problems()).isEmpty();
    assertThat(result.changed()).containsExactly(readme);
    assertThat(Files.readAllLines(readme))
        .containsExactly("Text.", "<!-- snippet: hello -->", "```java", "B.hello(); // new", "```", "More.");
    assertThat(ReadmeSnippets.check(root)).isEmpty();
  }

  @Test
  void unmarkedJavaBlockFails(@TempDir Path root) throws IOException {
    source(root);
    readme(root, "```java", "int x = 1;", "```", "```bash", "echo fine", "```");

    assertThat(ReadmeSnippets.check(root)).singleElement().asString()
        .startsWith("README.md:1: ```java block without a <!-- snippet: NAME --> line before it");
  }

  @Test
  void unmarkedJavaBlockInAModuleReadmeFails(@TempDir Path root) throws IOException {
    source(root);
    Files.createDirectories(root.resolve("module"));
    Files.write(root.resolve("module/README.md"), List.of("# m", "", "```java", "x();", "```"));

    assertThat(ReadmeSnippets.check(root)).singleElement().asString().startsWith("module/README.md:3: ```java block");
  }

  @Test
  void javaFenceQuotedInsideAnotherFenceIsNotABlock(@TempDir Path root) throws IOException {
    source(root);
    readme(root, "````markdown", "```java", "x();", "```", "````");

    assertThat(ReadmeSnippets.check(root)).isEmpty();
  }

  @Test
  void unknownSnippetAndUnusedRegionFail(@TempDir Path root) throws IOException {
    source(root, "// tag::used[]", "a();", "// end::used[]", "// tag::spare[]", "b();", "// end::spare[]");
    readme(root, "<!-- snippet: used -->", "```java", "a();", "```",
        "<!-- snippet: typo -->", "```java", "b();", "```");

    assertThat(ReadmeSnippets.check(root)).satisfiesExactlyInAnyOrder(
        p -> assertThat(p).startsWith("README.md:6: snippet 'typo' has no region"),
        p -> assertThat(p).contains("region 'spare' is in no README"));
  }

  @Test
  void markerWithoutJavaBlockFails(@TempDir Path root) throws IOException {
    source(root, "// tag::a[]", "a();", "// end::a[]");
    readme(root, "<!-- snippet: a -->", "", "```java", "a();", "```");

    assertThat(ReadmeSnippets.check(root)).anySatisfy(p ->
        assertThat(p).startsWith("README.md:1: snippet marker 'a' must be followed directly by a ```java line"));
  }

  @Test
  void malformedTagsFail(@TempDir Path root) throws IOException {
    source(root, "// tag::open[]", "x();", "// end::never-opened[]", "// tag::Bad_Name[]");
    readme(root);

    assertThat(ReadmeSnippets.check(root)).anySatisfy(p -> assertThat(p).contains(":3: end::never-opened[] without"))
        .anySatisfy(p -> assertThat(p).contains(":4: region name 'Bad_Name'"))
        .anySatisfy(p -> assertThat(p).contains(":1: region 'open' is never closed"));
  }

  @Test
  void fragmentsAreDedentedAndJoinedByOneBlankLineWithOtherTagsLeftOut() {
    List<String> problems = new ArrayList<>();
    var regions = ReadmeSnippets.regions("X.java", List.of(
        "// tag::outer[]",
        "import a.A;",
        "// end::outer[]",
        "class X {",
        "    // tag::outer[]",
        "    if (x) {",
        "      // tag::inner[]",
        "      y();",
        "      // end::inner[]",
        "    }",
        "    // end::outer[]",
        "}"), problems);

    assertThat(problems).isEmpty();
    assertThat(regions.get("outer")).containsExactly("import a.A;", "", "if (x) {", "  y();", "}");
    assertThat(regions.get("inner")).containsExactly("y();");
  }

  private static void source(Path root, String... lines) throws IOException {
    Path dir = root.resolve(ReadmeSnippets.SOURCES).resolve("x");
    Files.createDirectories(dir);
    Files.write(dir.resolve("X.java"), List.of(lines));
  }

  private static Path readme(Path root, String... lines) throws IOException {
    return Files.write(root.resolve("README.md"), List.of(lines));
  }
}
