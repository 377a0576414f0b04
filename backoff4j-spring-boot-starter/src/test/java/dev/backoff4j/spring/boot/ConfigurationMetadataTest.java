package dev.backoff4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The configuration metadata the build writes from {@link Backoff4jProperties} (IDE completion):
 * each property is there with its description, its type and its default as a user writes it.
 */
class ConfigurationMetadataTest {

  private static Map<String, JsonNode> properties() throws Exception {
    Map<String, JsonNode> found = new HashMap<>();
    for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
        .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
          String name = property.path("name").asText();
          if (name.startsWith(Backoff4jProperties.PREFIX + ".")) {
            found.put(name, property);
          }
        }
      }
    }
    return found;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "gate.enabled | java.lang.Boolean | true",
      "gate.failures-to-close | java.lang.Integer | 10",
      "gate.probe-initial-delay | java.time.Duration | 100ms",
      "gate.probe-max-delay | java.time.Duration | 1s",
      "gate.when-closed | dev.backoff4j.openai.gate.WhenClosed | wait",
      "budget.when-exhausted | dev.backoff4j.budget.WhenExhausted | wait",
      "max-rate-limit-retries | java.lang.Integer | -",
      "budget.min-retries-per-second | java.lang.Double | 2"})
  void everyPropertyIsDescribedWithItsDefault(String property, String type, String defaultValue) throws Exception {
    JsonNode entry = properties().get(Backoff4jProperties.PREFIX + "." + property);
    assertThat(entry).as(property + " in the metadata").isNotNull();
    assertThat(entry.path("description").asText()).as("description").isNotBlank();
    assertThat(entry.path("type").asText()).isEqualTo(type);
    if (defaultValue == null) {
      assertThat(entry.has("defaultValue")).as("no default: unset means the deadline bounds them").isFalse();
    } else {
      assertThat(entry.path("defaultValue").asText()).isEqualToIgnoringCase(defaultValue);
    }
  }
}
