package dev.backoff4j.openai.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.openai.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * The outcome of one batch request, written as one output line in the OpenAI Batch API format:
 * {@code {"id": "batch_req_...", "custom_id": "r1", "response": {"status_code": 200, "request_id":
 * "req_...", "body": {...}}, "error": null}}.
 *
 * <p>A request that failed for good has an {@code error} ({@code {"code", "message", "retryable"}}); its
 * {@code response} holds the final error response when there was one (status, request id, error
 * body), and is {@code null} when the server never answered (connection failures, timeouts).
 * {@code retryable} (an addition to the Batch API's format) says whether the error was recoverable
 * — a 5xx, a connection failure, a timeout, a rate limit, a deadline: the retry policy would have
 * retried it but ran out of attempts or time — or final (a 4xx, a quota error, a malformed
 * response); {@code BatchRunner.Builder#retryErrors} sends the recoverable ones again.
 *
 * @param id this result's id, {@code batch_req_} and 32 hex digits
 * @param customId the request's {@code custom_id}
 * @param statusCode the final HTTP status, or 0 when there was no response
 * @param requestId the final response's {@code x-request-id}, or {@code null}
 * @param body the final response body, or {@code null}
 * @param errorCode why the request failed for good, or {@code null} on success
 * @param errorMessage a one-line explanation with the retry history, or {@code null} on success
 * @param retryable whether the error was recoverable (see above); {@code false} on success
 */
public record BatchResult(String id, String customId, int statusCode, String requestId, JsonNode body,
    String errorCode, String errorMessage, boolean retryable) {

  public BatchResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(customId, "customId");
  }

  /** A successful result. */
  public static BatchResult success(String customId, int status, String requestId, JsonNode body) {
    return new BatchResult(newId(), customId, status, requestId, body, null, null, false);
  }

  /** A request that failed for good; {@code code} says why, {@code retryable} whether sending it again may help. */
  public static BatchResult failure(String customId, int status, String requestId, JsonNode body, String code,
      String message, boolean retryable) {
    return new BatchResult(newId(), customId, status, requestId, body, Objects.requireNonNull(code, "code"), message,
        retryable);
  }

  /** Whether the request ended in an error. */
  public boolean isError() {
    return errorCode != null;
  }

  /** Whether the server sent a final response (successful or not). */
  public boolean hasResponse() {
    return statusCode != 0;
  }

  /** The output line, without its line break. */
  public ObjectNode toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("id", id);
    json.put("custom_id", customId);
    if (hasResponse()) {
      ObjectNode response = json.putObject("response");
      response.put("status_code", statusCode);
      response.put("request_id", requestId);
      response.set("body", body);
    } else {
      json.putNull("response");
    }
    if (isError()) {
      json.putObject("error").put("code", errorCode).put("message", errorMessage).put("retryable", retryable);
    } else {
      json.putNull("error");
    }
    return json;
  }

  /** {@link #toJson()} as UTF-8 bytes ending with {@code \n}, ready to append. */
  public byte[] toLine() {
    return (toJson().toString() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String newId() {
    return "batch_req_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Ids and status only: bodies hold model output. */
  @Override
  public String toString() {
    return "BatchResult[" + customId + ", " + (isError() ? (retryable ? "retryable" : "final") + " error " + errorCode
        : "status " + statusCode) + "]";
  }
}
