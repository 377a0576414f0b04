package dev.backoff4j.openai;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Example responses from the OpenAI OpenAPI document ({@code shared/openai-openapi/openapi.yaml}
 * beside the repository), so parsing is tested against the API's own shapes rather than ours.
 */
public final class OpenApiSamples {

  private static final Map<String, Object> SPEC = load();

  private OpenApiSamples() {}

  /**
   * The example response of {@code method path} titled {@code title} (or the only example), made
   * valid JSON: the documents elide long arrays with "...." lines.
   */
  @SuppressWarnings("unchecked")
  public static String response(String path, String method, String title) {
    Map<String, Object> operation = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) SPEC.get("paths"))
        .get(path)).get(method);
    Object examples = ((Map<String, Object>) operation.get("x-oaiMeta")).get("examples");
    List<Map<String, Object>> list = examples instanceof List<?> many
        ? (List<Map<String, Object>>) many
        : List.of((Map<String, Object>) examples);
    for (Map<String, Object> example : list) {
      if (title == null || title.equals(example.get("title"))) {
        return (String) example.get("response");
      }
    }
    throw new IllegalArgumentException("no example '" + title + "' for " + method + " " + path);
  }

  /** {@code text} without elision lines and the trailing commas they leave. */
  public static String withoutElisions(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.contains("....")) {
        lines.add(line);
      }
    }
    return String.join("\n", lines).replaceAll(",(\\s*[\\]}])", "$1");
  }

  private static Map<String, Object> load() {
    Path spec = locate();
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024);
    try (Reader reader = Files.newBufferedReader(spec, StandardCharsets.UTF_8)) {
      return new Yaml(options).load(reader);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + spec, e);
    }
  }

  private static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/openai-openapi/openapi.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/openai-openapi/openapi.yaml not found beside the repository");
  }
}
