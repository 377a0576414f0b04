package dev.backoff4j.openai.batch.internal;

import java.util.Objects;

/**
 * One line of a batch input file, checked.
 *
 * @param line the 1-based line number in the input file
 * @param customId the caller's id, unique within the file
 * @param url the endpoint as the Batch API names it, e.g. {@code /v1/chat/completions}
 * @param body the request body (a JSON object) as the line wrote it
 */
public record BatchRequest(int line, String customId, String url, byte[] body) {

  public BatchRequest {
    Objects.requireNonNull(customId, "customId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
  }

  /** The path under the client's base URL ({@code /chat/completions} for {@code /v1/chat/completions}). */
  public String path() {
    return url.startsWith("/v1/") ? url.substring(3) : url;
  }

  /** The id and endpoint only: bodies hold prompts. */
  @Override
  public String toString() {
    return "BatchRequest[line " + line + ", " + customId + ", " + url + "]";
  }
}
