package dev.backoff4j.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Validates JSON against {@code components/schemas} of the shared OpenAI OpenAPI description
 * ({@code shared/openai-openapi/openapi.yaml}, found by walking up from the working directory).
 *
 * <p>The description is OpenAPI 3.1, so its schemas are JSON Schema 2020-12, except for a few
 * leftover OpenAPI 3.0 {@code nullable: true} flags, which are rewritten to 2020-12 (adding
 * {@code "null"} to {@code type} and to {@code enum}). Vendor keywords ({@code x-*}) and OpenAPI's
 * {@code discriminator} are ignored by the validator, as are unknown formats such as
 * {@code unixtime}.
 */
final class OpenApiSchemas {
  private static final String RELATIVE = "shared/openai-openapi/openapi.yaml";

  private final JsonNode components;
  private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  // Compiling a schema walks the whole description: once per name, not once per validated body.
  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  private OpenApiSchemas(JsonNode components) {
    this.components = components;
  }

  /** Loads the description; fails with a message saying where it was looked for. */
  static OpenApiSchemas load() throws IOException {
    Path file = locate();
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024); // the description is ~3 MB, SnakeYAML's default cap
    ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
    JsonNode root = yaml.readTree(file.toFile());
    JsonNode components = root.path("components");
    if (!components.path("schemas").isObject()) {
      throw new IllegalStateException(file + " has no components/schemas");
    }
    rewriteNullable(components);
    return new OpenApiSchemas(components);
  }

  static Path locate() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve(RELATIVE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find " + RELATIVE + " in " + dir + " or any parent directory; "
        + "the OpenAPI description is expected in shared/ beside the repository root (../shared from it)");
  }

  /** The validation errors of {@code json} against {@code components/schemas/<name>}; empty if valid. */
  Set<String> errors(String schemaName, JsonNode json) {
    if (!components.path("schemas").has(schemaName)) {
      throw new IllegalArgumentException("no schema named " + schemaName);
    }
    JsonSchema schema = compiled.computeIfAbsent(schemaName, name -> {
      ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
      wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      wrapper.put("$ref", "#/components/schemas/" + name);
      wrapper.set("components", components);
      return factory.getSchema(wrapper);
    });
    return schema.validate(json).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
  }

  private static void rewriteNullable(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      if (object.path("nullable").asBoolean(false)) {
        object.remove("nullable");
        JsonNode type = object.get("type");
        if (type != null && type.isTextual()) {
          ArrayNode types = object.putArray("type");
          types.add(type.asText()).add("null");
        }
        JsonNode enumValues = object.get("enum");
        if (enumValues instanceof ArrayNode) {
          ((ArrayNode) enumValues).addNull();
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        rewriteNullable(it.next().getValue());
      }
    } else if (node.isArray()) {
      node.forEach(OpenApiSchemas::rewriteNullable);
    }
  }
}
