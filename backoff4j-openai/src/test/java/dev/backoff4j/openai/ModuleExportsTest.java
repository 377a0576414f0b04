package dev.backoff4j.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module descriptor exports the API packages and nothing else: internals stay internal. */
class ModuleExportsTest {

  @Test
  void onlyTheApiPackagesAreExported() throws Exception {
    ModuleDescriptor descriptor;
    // The module's own compiled descriptor (tests run from the module's directory).
    try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }
    assertThat(descriptor.name()).isEqualTo("dev.backoff4j.openai");
    assertThat(descriptor.exports()).allSatisfy(exports -> assertThat(exports.isQualified()).isFalse())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("dev.backoff4j.openai", "dev.backoff4j.openai.batch", "dev.backoff4j.openai.chat", "dev.backoff4j.openai.classify", "dev.backoff4j.openai.embeddings", "dev.backoff4j.openai.errors", "dev.backoff4j.openai.fallback", "dev.backoff4j.openai.headers", "dev.backoff4j.openai.http", "dev.backoff4j.openai.models", "dev.backoff4j.openai.pacing", "dev.backoff4j.openai.spi")
        .noneMatch(name -> name.contains(".internal"));
  }
}
