package dev.backoff4j.mock.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Streams a chat completion as server-sent events: {@code chunks} content chunks (the first also
 * carrying {@code role}), a chunk with {@code finish_reason: "stop"}, a usage chunk when the request
 * asked for {@code include_usage}, then {@code data: [DONE]}. With {@code cutAfter >= 0} the
 * connection is closed after that many events, leaving the chunked body unterminated.
 */
final class SseStream {
  private static final ByteBuf DONE =
      Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("data: [DONE]\n\n", StandardCharsets.UTF_8));

  private final ChannelHandlerContext ctx;
  private final HttpHeaders headers;
  private final boolean keepAlive;
  private final int chunks;
  private final long gapNanos;
  private final int cutAfter;
  private final String id;
  private final long created;
  private final String model;
  private final ChatRequest chat;
  private final String reply;
  private final JsonBodies.Usage usage;
  private final int totalEvents;
  private int sent;

  SseStream(
      ChannelHandlerContext ctx,
      HttpHeaders headers,
      boolean keepAlive,
      int chunks,
      long gapNanos,
      int cutAfter,
      String id,
      long created,
      String model,
      ChatRequest chat,
      String reply,
      JsonBodies.Usage usage) {
    this.ctx = ctx;
    this.headers = headers;
    this.keepAlive = keepAlive;
    this.chunks = chunks;
    this.gapNanos = gapNanos;
    this.cutAfter = cutAfter;
    this.id = id;
    this.created = created;
    this.model = model;
    this.chat = chat;
    this.reply = reply;
    this.usage = usage;
    // content chunks + finish chunk + optional usage chunk + [DONE]
    this.totalEvents = chunks + 1 + (chat.includeUsage() ? 1 : 0) + 1;
  }

  void start() {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(headers);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    ctx.write(response);
    next();
  }

  /** Sends events until a gap is due (then reschedules itself), the cut point, or the end. */
  private void next() {
    while (true) {
      if (!ctx.channel().isActive()) {
        return;
      }
      if (sent == cutAfter) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (sent == totalEvents) {
        if (keepAlive) {
          ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        } else {
          ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
        return;
      }
      ctx.write(new DefaultHttpContent(event(sent)));
      sent++;
      if (gapNanos > 0 && sent < totalEvents) {
        ctx.flush();
        ctx.executor().schedule(this::next, gapNanos, TimeUnit.NANOSECONDS);
        return;
      }
    }
  }

  private ByteBuf event(int index) {
    if (index == totalEvents - 1) {
      return DONE.duplicate();
    }
    ByteBuf json;
    if (index < chunks) {
      int from = (int) ((long) reply.length() * index / chunks);
      int to = (int) ((long) reply.length() * (index + 1) / chunks);
      json = JsonBodies.chatChunk(ctx.alloc(), id, created, model, chat.n(),
          index == 0 ? "assistant" : null, reply.substring(from, to), null, null);
    } else if (index == chunks) {
      json = JsonBodies.chatChunk(ctx.alloc(), id, created, model, chat.n(), null, null, "stop", null);
    } else {
      json = JsonBodies.chatChunk(ctx.alloc(), id, created, model, chat.n(), null, null, null, usage);
    }
    ByteBuf event = ctx.alloc().buffer(json.readableBytes() + 8);
    event.writeCharSequence("data: ", StandardCharsets.US_ASCII);
    event.writeBytes(json);
    event.writeCharSequence("\n\n", StandardCharsets.US_ASCII);
    json.release();
    return event;
  }
}
