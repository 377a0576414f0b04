package dev.backoff4j.openai.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as the pipeline sees it, independent of any HTTP library. Immutable; steps derive
 * changed copies with the {@code with...} methods.
 *
 * <p>Tags (OkHttp's word) carry per-call values through the pipeline without touching the wire: the
 * SDK bridge's per-call options, a {@link CallListener} for this call alone, what the pacer estimated
 * the request costs. A tag is keyed by its type; {@link #toString()} never shows them.
 *
 * @param method {@code GET}, {@code POST}, ...
 * @param url the absolute URL
 * @param headers request headers; credentials are added by the attempt step, not by callers
 * @param body the body, or {@code null} for none; never mutated (callers must not change the array)
 * @param streaming whether the response is a server-sent event stream: the attempt then ends at the
 *     first event instead of at the end of the body, so later failures are not retried
 * @param tags per-call values by type; see {@link #tag}
 */
public record Request(String method, URI url, Headers headers, byte[] body, boolean streaming,
    Map<Class<?>, Object> tags) {

  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(headers, "headers");
    tags = Map.copyOf(tags);
  }

  /** A request without tags. */
  public Request(String method, URI url, Headers headers, byte[] body, boolean streaming) {
    this(method, url, headers, body, streaming, Map.of());
  }

  public static Request get(URI url) {
    return new Request("GET", url, Headers.empty(), null, false);
  }

  public static Request postJson(URI url, byte[] json) {
    return new Request("POST", url, Headers.empty().with("content-type", "application/json"), json, false);
  }

  public Request withHeader(String name, String value) {
    return new Request(method, url, headers.with(name, value), body, streaming, tags);
  }

  public Request withStreaming(boolean streaming) {
    return new Request(method, url, headers, body, streaming, tags);
  }

  /** A copy carrying {@code value} as its tag of {@code type} (replacing an earlier one); {@code null} removes it. */
  public <T> Request withTag(Class<T> type, T value) {
    Objects.requireNonNull(type, "type");
    Map<Class<?>, Object> copy = new LinkedHashMap<>(tags);
    if (value == null) {
      copy.remove(type);
    } else {
      copy.put(type, type.cast(value));
    }
    return new Request(method, url, headers, body, streaming, copy);
  }

  /** The tag of {@code type}, if the request carries one. */
  public <T> Optional<T> tag(Class<T> type) {
    return Optional.ofNullable(type.cast(tags.get(type)));
  }

  /** Method and URL only: bodies hold prompts and headers hold keys. */
  @Override
  public String toString() {
    return method + " " + url + (streaming ? " (stream)" : "");
  }
}
