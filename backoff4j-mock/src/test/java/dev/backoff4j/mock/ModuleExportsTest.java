package dev.backoff4j.mock;

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
    assertThat(descriptor.name()).isEqualTo("dev.backoff4j.mock");
    assertThat(descriptor.exports()).allSatisfy(exports -> assertThat(exports.isQualified()).isFalse())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("dev.backoff4j.mock")
        .noneMatch(name -> name.contains(".internal"));
  }
}
