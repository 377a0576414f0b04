package dev.backoff4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * backoff4j-bom has no parent (so that it carries none of the parent's dependency management) and
 * therefore spells out its own version and the SDK version. These checks keep both in step with the
 * reactor, keep every library module in it, and keep it free of anything else.
 */
class BomConsistencyTest {
  /** Reactor modules that are not libraries, so not in the BOM. Every other module must be. */
  private static final Set<String> NOT_LIBRARIES =
      Set.of("backoff4j-cli", "backoff4j-bench", "backoff4j-bom", "backoff4j-docs", "backoff4j-it",
          "backoff4j-redis-testkit");

  /** The official SDK's artifacts the BOM pins: frameworks depend on the core artifact directly. */
  private static final Set<String> SDK_ARTIFACTS =
      Set.of("openai-java", "openai-java-core", "openai-java-client-okhttp");

  private static final Path ROOT = Path.of(System.getProperty("backoff4j.root", ".."));

  private final Element parent = read(ROOT.resolve("pom.xml"));
  private final Element bom = read(ROOT.resolve("backoff4j-bom/pom.xml"));

  @Test
  void bomHasNoParentSoItInheritsNoDependencyManagement() {
    assertThat(child(bom, "parent"))
        .as("backoff4j-bom/pom.xml must not have a <parent>: it would inherit the parent's Jackson,"
            + " Netty and JUnit BOM imports and hand them to every user")
        .isNull();
  }

  @Test
  void bomVersionIsTheReactorVersion() {
    assertThat(text(bom, "version"))
        .as("<version> of backoff4j-bom/pom.xml (it has no parent, so it is written out there)")
        .isEqualTo(text(parent, "version"));
  }

  @Test
  void bomPinsTheSdkVersionTheBuildIsTestedWith() {
    assertThat(text(child(bom, "properties"), "openai-java.version"))
        .as("openai-java.version in backoff4j-bom/pom.xml must equal the parent POM's")
        .isEqualTo(text(child(parent, "properties"), "openai-java.version"));
  }

  @Test
  void bomManagesEveryLibraryModuleAndTheSdkAndNothingElse() {
    Map<String, String> managed = new TreeMap<>();
    for (Element dependency : managedDependencies(bom)) {
      String key = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
      assertThat(text(dependency, "scope")).as("scope of %s in backoff4j-bom: no BOM imports", key).isNull();
      managed.put(key, text(dependency, "version"));
    }

    Map<String, String> expected = new TreeMap<>();
    for (String module : modules()) {
      if (!NOT_LIBRARIES.contains(module)) {
        expected.put("dev.backoff4j:" + module, "${project.version}");
      }
    }
    for (String artifact : SDK_ARTIFACTS) {
      expected.put("com.openai:" + artifact, "${openai-java.version}");
    }
    assertThat(managed)
        .as("dependencyManagement of backoff4j-bom/pom.xml: every reactor module except %s, plus the"
            + " official SDK's artifacts; a new library module goes into the BOM (or, if it is not a"
            + " library, into NOT_LIBRARIES here)", new TreeSet<>(NOT_LIBRARIES))
        .isEqualTo(expected);
  }

  @Test
  void readmeInstallsTheCurrentVersion() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    List<String> versions = new ArrayList<>();
    Matcher maven = Pattern.compile(
            "<artifactId>backoff4j-bom</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(readme);
    while (maven.find()) {
      versions.add(maven.group(1));
    }
    Matcher gradle = Pattern.compile("dev\\.backoff4j:backoff4j-bom:([^\"')]+)").matcher(readme);
    while (gradle.find()) {
      versions.add(gradle.group(1));
    }
    assertThat(versions)
        .as("the BOM versions in README.md's Install section (Maven and Gradle)")
        .hasSizeGreaterThanOrEqualTo(2)
        .containsOnly(text(parent, "version"));
  }

  private List<String> modules() {
    List<String> modules = new ArrayList<>();
    for (Node n = child(parent, "modules").getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals("module")) {
        modules.add(e.getTextContent().trim());
      }
    }
    return modules;
  }

  private static List<Element> managedDependencies(Element project) {
    List<Element> dependencies = new ArrayList<>();
    Element management = child(child(project, "dependencyManagement"), "dependencies");
    for (Node n = management.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals("dependency")) {
        dependencies.add(e);
      }
    }
    return dependencies;
  }

  private static Element read(Path pom) {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pom, e);
    }
  }

  /** The direct child element named {@code name}, or null. */
  private static Element child(Element element, String name) {
    if (element == null) {
      return null;
    }
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static String text(Element element, String name) {
    Element child = child(element, name);
    return child == null ? null : child.getTextContent().trim();
  }
}
