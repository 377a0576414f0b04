package dev.backoff4j.openai.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable HTTP headers with case-insensitive names (stored lower case, as HTTP/2 sends them).
 * Values keep their order. {@link #toString()} masks credentials so a logged request never shows a key.
 */
public final class Headers {

  private static final Headers EMPTY = new Headers(Map.of());
  private static final List<String> SECRET = List.of("authorization", "api-key", "proxy-authorization", "cookie");

  private final Map<String, List<String>> values;

  private Headers(Map<String, List<String>> values) {
    this.values = values;
  }

  public static Headers empty() {
    return EMPTY;
  }

  /** Copies {@code map}; names are lower-cased, lists with the same name (in any case) are merged. */
  public static Headers of(Map<String, ? extends List<String>> map) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    map.forEach((name, list) -> {
      if (name != null && list != null) {
        copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(list);
      }
    });
    copy.replaceAll((name, list) -> List.copyOf(list));
    return new Headers(Collections.unmodifiableMap(copy));
  }

  /** The first value of {@code name}, trimmed; empty when absent. */
  public Optional<String> first(String name) {
    List<String> list = values.get(name.toLowerCase(Locale.ROOT));
    return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0).trim());
  }

  /** Every value of {@code name}; empty when absent. */
  public List<String> all(String name) {
    return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** A copy with {@code name} set to the single {@code value}, replacing earlier values. */
  public Headers with(String name, String value) {
    Objects.requireNonNull(value, "value");
    Map<String, List<String>> copy = new LinkedHashMap<>(values);
    copy.put(name.toLowerCase(Locale.ROOT), List.of(value));
    return new Headers(Collections.unmodifiableMap(copy));
  }

  /** Names (lower case) to values, unmodifiable. */
  public Map<String, List<String>> toMap() {
    return values;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Headers headers && values.equals(headers.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Headers[");
    values.forEach((name, list) -> {
      if (text.length() > 8) {
        text.append(", ");
      }
      text.append(name).append('=').append(SECRET.contains(name) ? "██" : String.join(",", list));
    });
    return text.append(']').toString();
  }
}
