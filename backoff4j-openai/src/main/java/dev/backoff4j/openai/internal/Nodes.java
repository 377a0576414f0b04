package dev.backoff4j.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Lenient readers over JSON trees: absent or null fields read as {@code null}; wrong shapes throw {@link ShapeException}. */
public final class Nodes {

  private Nodes() {}

  public static JsonNode object(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw new ShapeException(what + " is not a JSON object");
    }
    return node;
  }

  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  public static long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isNumber() ? 0 : value.asLong();
  }

  /** The elements of array {@code field}, each parsed; a missing array is empty when {@code required} is false. */
  public static <T> List<T> list(JsonNode node, String field, boolean required, Function<JsonNode, T> parse) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new ShapeException("'" + field + "' is missing");
      }
      return List.of();
    }
    if (!value.isArray()) {
      throw new ShapeException("'" + field + "' is not an array");
    }
    List<T> items = new ArrayList<>(value.size());
    value.forEach(item -> items.add(parse.apply(item)));
    return List.copyOf(items);
  }
}
