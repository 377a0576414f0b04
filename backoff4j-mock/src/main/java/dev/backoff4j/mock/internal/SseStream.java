package dev.backoff4j.mock.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
 * Sends server-sent events on the channel's event loop, pausing {@code gapNanos} between events
 * without blocking it. What the events say is the {@link Events}' business; where the stream stops
 * short is the {@link StreamStop}'s: a cut closes the connection leaving the chunked body
 * unterminated, a failure is sent in place of the remaining events (at the latest in place of the
 * last one) and the body then ends cleanly.
 */
final class SseStream {

  /** The events of one complete stream, each already framed as SSE. */
  interface Events {
    /** Events in the complete stream. */
    int count();

    /** Event {@code index} (0-based). */
    ByteBuf event(ByteBufAllocator alloc, int index);

    /** {@code failure} sent as event {@code index}, ending the stream. */
    ByteBuf failure(ByteBufAllocator alloc, int index, StreamFailure failure);
  }

  private final ChannelHandlerContext ctx;
  private final HttpHeaders headers;
  private final boolean keepAlive;
  private final long gapNanos;
  private final Events events;
  private final int cutAt;
  private final int failAt;
  private final StreamFailure failure;
  private int sent;

  SseStream(ChannelHandlerContext ctx, HttpHeaders headers, boolean keepAlive, long gapNanos, Events events,
      StreamStop stop) {
    this.ctx = ctx;
    this.headers = headers;
    this.keepAlive = keepAlive;
    this.gapNanos = gapNanos;
    this.events = events;
    this.cutAt = stop.cutsConnection() ? stop.afterEvents() : -1;
    this.failure = stop.failure();
    this.failAt = failure == null ? -1 : Math.min(stop.afterEvents(), events.count() - 1);
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

  /** Frames {@code json} as one event, with an {@code event:} line when {@code name} is not null; releases it. */
  static ByteBuf frame(ByteBufAllocator alloc, String name, ByteBuf json) {
    ByteBuf event = alloc.buffer(json.readableBytes() + 16 + (name == null ? 0 : name.length() + 8));
    if (name != null) {
      event.writeCharSequence("event: ", StandardCharsets.US_ASCII);
      event.writeCharSequence(name, StandardCharsets.UTF_8);
      event.writeByte('\n');
    }
    event.writeCharSequence("data: ", StandardCharsets.US_ASCII);
    event.writeBytes(json);
    event.writeCharSequence("\n\n", StandardCharsets.US_ASCII);
    json.release();
    return event;
  }

  /** Frames constant JSON bytes as one nameless event. */
  static ByteBuf frame(ByteBufAllocator alloc, byte[] json) {
    return frame(alloc, null, Unpooled.wrappedBuffer(json).asReadOnly());
  }

  /** Sends events until a gap is due (then reschedules itself), the stop, or the end. */
  private void next() {
    while (true) {
      if (!ctx.channel().isActive()) {
        return;
      }
      if (sent == cutAt) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (sent == failAt) {
        ctx.write(new DefaultHttpContent(events.failure(ctx.alloc(), sent, failure)));
        end();
        return;
      }
      if (sent == events.count()) {
        end();
        return;
      }
      ctx.write(new DefaultHttpContent(events.event(ctx.alloc(), sent)));
      sent++;
      if (gapNanos > 0 && sent < events.count()) {
        ctx.flush();
        ctx.executor().schedule(this::next, gapNanos, TimeUnit.NANOSECONDS);
        return;
      }
    }
  }

  private void end() {
    if (keepAlive) {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
