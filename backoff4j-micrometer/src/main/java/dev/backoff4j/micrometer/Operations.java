package dev.backoff4j.micrometer;

import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.gate.OutageGateClosedException;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.retry.AttemptRecord;
import dev.backoff4j.retry.AttemptTimeoutException;
import java.io.IOException;
import java.net.URI;
import java.util.Set;

/** The low-cardinality names of what a call does and how an attempt ended. */
final class Operations {

  /** OpenAI's top-level resources; an operation is one of these (with the next segment for the grouped ones). */
  private static final Set<String> RESOURCES = Set.of("chat", "completions", "embeddings", "responses", "models",
      "moderations", "images", "audio", "files", "uploads", "batches", "fine_tuning", "vector_stores",
      "assistants", "threads", "conversations", "realtime");
  /** Resources whose operation is named by the next segment too: chat/completions, audio/speech. */
  private static final Set<String> GROUPS = Set.of("chat", "images", "audio", "fine_tuning");
  /** Operations under a group; anything else below a group is an id. */
  private static final Set<String> GROUPED = Set.of("completions", "generations", "edits", "variations", "speech",
      "transcriptions", "translations", "jobs");

  private Operations() {}

  /**
   * {@code /v1/chat/completions} → {@code chat.completions}, {@code /v1/responses/resp_1} →
   * {@code responses}, an Azure deployment path → what follows the deployment; {@code other} when no
   * known resource is named. Never a value taken from the path as is, so never an id.
   */
  static String of(URI url) {
    String path = url.getRawPath();
    if (path == null) {
      return "other";
    }
    String[] segments = path.split("/");
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (!RESOURCES.contains(segment)) {
        continue;
      }
      if (GROUPS.contains(segment) && i + 1 < segments.length && GROUPED.contains(segments[i + 1])) {
        return segment + "." + segments[i + 1];
      }
      return segment;
    }
    return "other";
  }

  /**
   * The HTTP status, {@code io} (network), {@code timeout}, {@code gate_closed} (refused unsent by a
   * closed outage gate that fails fast), or {@code other} (a malformed answer, a bug).
   */
  static String status(AttemptRecord attempt) {
    Throwable failure = attempt.failure();
    if (failure == null) {
      return attempt.result() instanceof Response response ? Integer.toString(response.status()) : "other";
    }
    if (failure instanceof OpenAiHttpException http) {
      return Integer.toString(http.status());
    }
    if (failure instanceof OpenAiTimeoutException || failure instanceof AttemptTimeoutException) {
      return "timeout";
    }
    if (failure instanceof OpenAiConnectionException || failure instanceof IOException) {
      return "io";
    }
    if (failure instanceof OutageGateClosedException) {
      return "gate_closed";
    }
    return "other";
  }
}
