package dev.backoff4j.mock.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/**
 * One answer of {@code POST /v1/responses}: the {@code Response} object (status
 * {@code completed}, one assistant message with one {@code output_text} part) and, for
 * {@code stream: true}, its event stream, shaped as the OpenAPI description's {@code Response} and
 * {@code Response*Event} schemas:
 *
 * <pre>
 *  0  response.created            response in_progress, no output
 *  1  response.in_progress
 *  2  response.output_item.added  the message, in_progress, no content
 *  3  response.content_part.added an empty output_text part
 *  4  response.output_text.delta  one per chunk (N chunks)
 * N+4 response.output_text.done   the whole text
 * N+5 response.content_part.done
 * N+6 response.output_item.done   the message, completed
 * N+7 response.completed          the completed response, with usage
 * </pre>
 *
 * Each event carries its index as {@code sequence_number} and is framed with an {@code event:} line
 * naming its {@code type}; as OpenAI's, the stream has no {@code data: [DONE]}. A failure sent as
 * event {@code i} is an {@code error} event, or a {@code response.failed} whose output holds what
 * the first {@code i} events had produced (the message marked {@code incomplete}).
 */
final class ResponseAnswer implements SseStream.Events {
  private static final int EVENTS_AROUND_DELTAS = 8;
  private static final int FIRST_DELTA = 4;

  private final String id;
  private final String messageId;
  private final long createdAt;
  private final String model;
  private final ResponsesRequest request;
  private final String reply;
  private final long inputTokens;
  private final long outputTokens;
  private final int chunks;

  /**
   * @param hexId the request's unique hex id, from which the response and message ids derive
   * @param createdAt epoch seconds of the request's arrival
   */
  ResponseAnswer(String hexId, long createdAt, String model, ResponsesRequest request, String reply,
      long inputTokens, long outputTokens, int chunks) {
    this.id = "resp_" + hexId;
    this.messageId = "msg_" + hexId;
    this.createdAt = createdAt;
    this.model = model;
    this.request = request;
    this.reply = reply;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.chunks = chunks;
  }

  /** The completed {@code Response} object, the body of a request that does not stream. */
  ByteBuf body(ByteBufAllocator alloc, long completedAt) {
    return JsonBodies.write(alloc, g -> writeResponse(g, "completed", "completed", reply, null, completedAt));
  }

  @Override
  public int count() {
    return chunks + EVENTS_AROUND_DELTAS;
  }

  @Override
  public ByteBuf event(ByteBufAllocator alloc, int index) {
    String type;
    JsonBodies.Writer fields;
    int lastDelta = FIRST_DELTA + chunks - 1;
    if (index == 0 || index == 1) {
      type = index == 0 ? "response.created" : "response.in_progress";
      fields = g -> response(g, "in_progress", null, null, null, -1);
    } else if (index == 2 || index == lastDelta + 3) {
      boolean done = index != 2;
      type = done ? "response.output_item.done" : "response.output_item.added";
      fields = g -> {
        g.writeNumberField("output_index", 0);
        g.writeFieldName("item");
        writeMessage(g, done ? "completed" : "in_progress", done ? reply : null);
      };
    } else if (index == 3 || index == lastDelta + 2) {
      boolean done = index != 3;
      type = done ? "response.content_part.done" : "response.content_part.added";
      fields = g -> {
        writeContentPosition(g);
        g.writeFieldName("part");
        writePart(g, done ? reply : "");
      };
    } else if (index <= lastDelta) {
      type = "response.output_text.delta";
      String delta = JsonBodies.slice(reply, index - FIRST_DELTA, chunks);
      fields = g -> {
        writeContentPosition(g);
        g.writeStringField("delta", delta);
        g.writeArrayFieldStart("logprobs");
        g.writeEndArray();
      };
    } else if (index == lastDelta + 1) {
      type = "response.output_text.done";
      fields = g -> {
        writeContentPosition(g);
        g.writeStringField("text", reply);
        g.writeArrayFieldStart("logprobs");
        g.writeEndArray();
      };
    } else {
      type = "response.completed";
      long completedAt = System.currentTimeMillis() / 1000;
      fields = g -> response(g, "completed", "completed", reply, null, completedAt);
    }
    return event(alloc, type, index, fields);
  }

  @Override
  public ByteBuf failure(ByteBufAllocator alloc, int index, StreamFailure failure) {
    if (!failure.failedEvent()) {
      return event(alloc, "error", index, g -> {
        g.writeStringField("code", failure.code());
        g.writeStringField("message", failure.message());
        g.writeNullField("param");
      });
    }
    // What the events before this one had produced: the message once added, its text once begun.
    String itemStatus = index > 2 ? "incomplete" : null;
    String text = index > 3 ? textAfter(index) : null;
    return event(alloc, "response.failed", index, g -> response(g, "failed", itemStatus, text, failure, -1));
  }

  /** The text of the deltas among the first {@code events} events. */
  private String textAfter(int events) {
    int deltas = Math.min(chunks, events - FIRST_DELTA);
    return reply.substring(0, (int) ((long) reply.length() * deltas / chunks));
  }

  private static ByteBuf event(ByteBufAllocator alloc, String type, int sequence, JsonBodies.Writer fields) {
    ByteBuf json = JsonBodies.write(alloc, g -> {
      g.writeStartObject();
      g.writeStringField("type", type);
      g.writeNumberField("sequence_number", sequence);
      fields.write(g);
      g.writeEndObject();
    });
    return SseStream.frame(alloc, type, json);
  }

  private void response(JsonGenerator g, String status, String itemStatus, String text, StreamFailure failure,
      long completedAt) throws IOException {
    g.writeFieldName("response");
    writeResponse(g, status, itemStatus, text, failure, completedAt);
  }

  /**
   * A {@code Response} object. {@code itemStatus} null: no output yet; {@code text} null: the message
   * has no content part yet. Usage is reported once completed; {@code completedAt} -1 is null.
   */
  private void writeResponse(JsonGenerator g, String status, String itemStatus, String text, StreamFailure failure,
      long completedAt) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeStringField("object", "response");
    g.writeNumberField("created_at", createdAt);
    g.writeStringField("status", status);
    g.writeBooleanField("background", false);
    if (completedAt >= 0) {
      g.writeNumberField("completed_at", completedAt);
    } else {
      g.writeNullField("completed_at");
    }
    if (failure == null) {
      g.writeNullField("error");
    } else {
      g.writeObjectFieldStart("error");
      g.writeStringField("code", failure.code());
      g.writeStringField("message", failure.message());
      g.writeEndObject();
    }
    g.writeNullField("incomplete_details");
    if (request.instructions() == null) {
      g.writeNullField("instructions");
    } else {
      g.writeStringField("instructions", request.instructions());
    }
    if (request.maxOutputTokens() >= 0) {
      g.writeNumberField("max_output_tokens", request.maxOutputTokens());
    } else {
      g.writeNullField("max_output_tokens");
    }
    g.writeStringField("model", model);
    g.writeArrayFieldStart("output");
    if (itemStatus != null) {
      writeMessage(g, itemStatus, text);
    }
    g.writeEndArray();
    g.writeBooleanField("parallel_tool_calls", true);
    g.writeNullField("previous_response_id");
    g.writeObjectFieldStart("reasoning");
    g.writeNullField("effort");
    g.writeNullField("summary");
    g.writeEndObject();
    g.writeStringField("service_tier", "default");
    g.writeBooleanField("store", true);
    g.writeNumberField("temperature", 1.0);
    g.writeObjectFieldStart("text");
    g.writeObjectFieldStart("format");
    g.writeStringField("type", "text");
    g.writeEndObject();
    g.writeEndObject();
    g.writeStringField("tool_choice", "auto");
    g.writeArrayFieldStart("tools");
    g.writeEndArray();
    g.writeNumberField("top_p", 1.0);
    g.writeStringField("truncation", "disabled");
    if ("completed".equals(status)) {
      g.writeObjectFieldStart("usage");
      g.writeNumberField("input_tokens", inputTokens);
      g.writeObjectFieldStart("input_tokens_details");
      g.writeNumberField("cached_tokens", 0);
      g.writeNumberField("cache_write_tokens", 0);
      g.writeEndObject();
      g.writeNumberField("output_tokens", outputTokens);
      g.writeObjectFieldStart("output_tokens_details");
      g.writeNumberField("reasoning_tokens", 0);
      g.writeEndObject();
      g.writeNumberField("total_tokens", inputTokens + outputTokens);
      g.writeEndObject();
    }
    g.writeObjectFieldStart("metadata");
    g.writeEndObject();
    g.writeEndObject();
  }

  /** The assistant message; {@code text} null: no content part yet. */
  private void writeMessage(JsonGenerator g, String status, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", messageId);
    g.writeStringField("type", "message");
    g.writeStringField("status", status);
    g.writeStringField("role", "assistant");
    g.writeArrayFieldStart("content");
    if (text != null) {
      writePart(g, text);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writePart(JsonGenerator g, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "output_text");
    g.writeStringField("text", text);
    g.writeArrayFieldStart("annotations");
    g.writeEndArray();
    g.writeArrayFieldStart("logprobs");
    g.writeEndArray();
    g.writeEndObject();
  }

  private void writeContentPosition(JsonGenerator g) throws IOException {
    g.writeStringField("item_id", messageId);
    g.writeNumberField("output_index", 0);
    g.writeNumberField("content_index", 0);
  }
}
