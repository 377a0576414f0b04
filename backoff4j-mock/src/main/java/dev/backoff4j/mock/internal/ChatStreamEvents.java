package dev.backoff4j.mock.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * A streamed chat completion: {@code chunks} content chunks (the first also carrying {@code role}),
 * a chunk with {@code finish_reason: "stop"}, a usage chunk when the request asked for
 * {@code include_usage}, then {@code data: [DONE]}. A failure is an {@code error} object in a
 * {@code data:} line, as OpenAI sends one mid-stream (chat streams have no {@code response.failed}).
 */
final class ChatStreamEvents implements SseStream.Events {
  private static final ByteBuf DONE =
      Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("data: [DONE]\n\n", StandardCharsets.UTF_8));

  private final int chunks;
  private final String id;
  private final long created;
  private final String model;
  private final ChatRequest chat;
  private final String reply;
  private final JsonBodies.Usage usage;
  private final int count;

  ChatStreamEvents(int chunks, String id, long created, String model, ChatRequest chat, String reply,
      JsonBodies.Usage usage) {
    this.chunks = chunks;
    this.id = id;
    this.created = created;
    this.model = model;
    this.chat = chat;
    this.reply = reply;
    this.usage = usage;
    // content chunks + finish chunk + optional usage chunk + [DONE]
    this.count = chunks + 1 + (chat.includeUsage() ? 1 : 0) + 1;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public ByteBuf event(ByteBufAllocator alloc, int index) {
    if (index == count - 1) {
      return DONE.duplicate();
    }
    ByteBuf json;
    if (index < chunks) {
      json = JsonBodies.chatChunk(alloc, id, created, model, chat.n(),
          index == 0 ? "assistant" : null, JsonBodies.slice(reply, index, chunks), null, null);
    } else if (index == chunks) {
      json = JsonBodies.chatChunk(alloc, id, created, model, chat.n(), null, null, "stop", null);
    } else {
      json = JsonBodies.chatChunk(alloc, id, created, model, chat.n(), null, null, null, usage);
    }
    return SseStream.frame(alloc, null, json);
  }

  @Override
  public ByteBuf failure(ByteBufAllocator alloc, int index, StreamFailure failure) {
    return SseStream.frame(alloc, ErrorResponses.streamFailureJson(failure));
  }
}
