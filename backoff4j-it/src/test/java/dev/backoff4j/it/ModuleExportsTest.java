package dev.backoff4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each library module's descriptor exports its API packages (and a documented {@code spi}) and nothing
 * else: the {@code internal} packages stay internal for anyone on the module path. Reads the compiled
 * descriptors the reactor built before this module.
 */
class ModuleExportsTest {

  static Stream<Arguments> modules() {
    return Stream.of(
        Arguments.of("backoff4j-core", "dev.backoff4j.core", List.of("dev.backoff4j", "dev.backoff4j.budget",
            "dev.backoff4j.retry", "dev.backoff4j.retry.event", "dev.backoff4j.spi", "dev.backoff4j.testkit",
            "dev.backoff4j.time")),
        Arguments.of("backoff4j-openai", "dev.backoff4j.openai", List.of("dev.backoff4j.openai",
            "dev.backoff4j.openai.batch", "dev.backoff4j.openai.chat", "dev.backoff4j.openai.classify",
            "dev.backoff4j.openai.embeddings", "dev.backoff4j.openai.errors", "dev.backoff4j.openai.fallback",
            "dev.backoff4j.openai.gate", "dev.backoff4j.openai.headers", "dev.backoff4j.openai.http",
            "dev.backoff4j.openai.models", "dev.backoff4j.openai.pacing", "dev.backoff4j.openai.responses",
            "dev.backoff4j.openai.spi")),
        Arguments.of("backoff4j-openai-sdk", "dev.backoff4j.openai.sdk", List.of("dev.backoff4j.openai.sdk")),
        Arguments.of("backoff4j-langchain4j", "dev.backoff4j.langchain4j", List.of("dev.backoff4j.langchain4j")),
        Arguments.of("backoff4j-mock", "dev.backoff4j.mock", List.of("dev.backoff4j.mock")),
        Arguments.of("backoff4j-micrometer", "dev.backoff4j.micrometer", List.of("dev.backoff4j.micrometer")),
        Arguments.of("backoff4j-redis", "dev.backoff4j.redis", List.of("dev.backoff4j.redis")));
  }

  /**
   * The starter has no descriptor (its optional dependencies, Spring AI's jars, have no module names
   * to require): its jar names the module it is on the module path.
   */
  @org.junit.jupiter.api.Test
  void theSpringBootStarterNamesItsAutomaticModule() throws Exception {
    Path target = Path.of("..", "backoff4j-spring-boot-starter", "target");
    assertThat(target.resolve(Path.of("classes", "module-info.class"))).doesNotExist();
    Path jar;
    try (Stream<Path> files = Files.list(target)) {
      jar = files.filter(f -> f.getFileName().toString().matches("backoff4j-spring-boot-starter-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("no starter jar in " + target));
    }
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("dev.backoff4j.spring.boot");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void onlyTheApiPackagesAreExported(String directory, String name, List<String> exports) throws Exception {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(
        Path.of("..", directory, "target", "classes", "module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }
    assertThat(descriptor.name()).isEqualTo(name);
    assertThat(descriptor.exports()).allSatisfy(export -> assertThat(export.isQualified()).isFalse())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrderElementsOf(exports)
        .noneMatch(pkg -> pkg.contains(".internal"));
  }
}
