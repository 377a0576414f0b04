package dev.backoff4j.openai.spi;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.http.Request;

/**
 * The most a response may take, as the pipeline's {@code maxResponseBytes} sets it: the whole body of
 * a response that does not stream, and each event of one that does. The pipeline puts it on every
 * request it hands a {@link dev.backoff4j.openai.http.Transport} (as the request's tag of this type), so
 * a transport that buffers bodies can stop reading at the limit instead of after the whole body; the
 * pipeline's response check enforces it on whatever the transport returns.
 *
 * <p>Error bodies are not refused for their size: they are cut at
 * {@link ErrorResponses#MAX_ERROR_BODY_BYTES}.
 *
 * @param maxBytes the limit in bytes, > 0
 */
public record ResponseSizeLimit(int maxBytes) {

  /**
   * 256 MiB: fits the largest legitimate OpenAI response, an embeddings batch at its limits — 2,048
   * inputs × 3,072 dimensions = 6,291,456 numbers, as pretty-printed JSON at up to 35 bytes each
   * (8 spaces of indent, a 17-digit float such as {@code -0.0069292834959924221}, a comma and a
   * newline): about 220 MB. Compact JSON at float precision is about 90 MB; base64 encoding about 34 MB.
   */
  public static final int DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

  /** The largest limit: the largest array a JVM allocates. */
  public static final int MAX_BYTES = Integer.MAX_VALUE - 8;

  /** The default limit. */
  public static final ResponseSizeLimit DEFAULT = new ResponseSizeLimit(DEFAULT_MAX_BYTES);

  public ResponseSizeLimit {
    InvalidSettingException.check(maxBytes > 0 && maxBytes <= MAX_BYTES, "openai client", "maxResponseBytes",
        "must be between 1 and " + MAX_BYTES, maxBytes);
  }

  /** The limit {@code request} carries, else the default. */
  public static int of(Request request) {
    return request.tag(ResponseSizeLimit.class).orElse(DEFAULT).maxBytes();
  }
}
