package dev.backoff4j;

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
    assertThat(descriptor.name()).isEqualTo("dev.backoff4j.core");
    assertThat(descriptor.exports()).allSatisfy(exports -> assertThat(exports.isQualified()).isFalse())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("dev.backoff4j", "dev.backoff4j.budget", "dev.backoff4j.retry", "dev.backoff4j.retry.event", "dev.backoff4j.spi", "dev.backoff4j.testkit", "dev.backoff4j.time")
        .noneMatch(name -> name.contains(".internal"));
  }
}
