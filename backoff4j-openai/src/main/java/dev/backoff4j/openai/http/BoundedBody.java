package dev.backoff4j.openai.http;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A java.net.http body handler that buffers at most a limit, deciding while reading:
 *
 * <ul>
 *   <li>a success (2xx) larger than {@code maxBytes}, by its {@code Content-Length} or by what
 *       arrives, is refused with {@link TooLargeException}, and the exchange abandoned at that point;
 *   <li>any other status keeps its first {@code maxErrorBytes} (an error message needs no more) and
 *       abandons the rest.
 * </ul>
 *
 * Chunks are kept as they arrive and copied into one array at the end, so a server announcing a huge
 * {@code Content-Length} and sending nothing costs nothing. An {@link Error} while buffering (out of
 * memory) fails the body with that error, unwrapped.
 */
final class BoundedBody {

  /** The body passed the limit; the transport turns it into a typed, non-retryable failure. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    final int limit;
    final int status;
    final String requestId;

    TooLargeException(int limit, int status, String requestId) {
      super("response body larger than " + limit + " bytes");
      this.limit = limit;
      this.status = status;
      this.requestId = requestId;
    }
  }

  private BoundedBody() {}

  static HttpResponse.BodyHandler<byte[]> handler(int maxBytes, int maxErrorBytes) {
    return info -> {
      boolean success = info.statusCode() >= 200 && info.statusCode() < 300;
      OptionalLong declared = info.headers().firstValueAsLong("content-length");
      TooLargeException refusal = new TooLargeException(maxBytes, info.statusCode(),
          info.headers().firstValue("x-request-id").orElse(null));
      if (success && declared.isPresent() && declared.getAsLong() > maxBytes) {
        return new Subscriber(0, refusal, true);
      }
      return success ? new Subscriber(maxBytes, refusal, false) : new Subscriber(maxErrorBytes, null, false);
    };
  }

  private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final int keep;
    private final TooLargeException refusal;
    private final boolean refuseAtOnce;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final List<byte[]> chunks = new ArrayList<>();
    private Flow.Subscription subscription;
    private long size;

    /** @param refusal the failure past {@code keep} bytes; {@code null} to keep what fits and drop the rest */
    Subscriber(int keep, TooLargeException refusal, boolean refuseAtOnce) {
      this.keep = keep;
      this.refusal = refusal;
      this.refuseAtOnce = refuseAtOnce;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (refuseAtOnce) {
        subscription.cancel();
        body.completeExceptionally(refusal);
        return;
      }
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (body.isDone()) {
        return;
      }
      try {
        for (ByteBuffer buffer : buffers) {
          int remaining = buffer.remaining();
          if (size + remaining > keep) {
            if (refusal != null) {
              stop();
              body.completeExceptionally(refusal);
            } else {
              byte[] part = new byte[(int) (keep - size)];
              buffer.get(part);
              chunks.add(part);
              size = keep;
              stop();
              body.complete(join());
            }
            return;
          }
          byte[] part = new byte[remaining];
          buffer.get(part);
          chunks.add(part);
          size += remaining;
        }
      } catch (Error e) {
        chunks.clear();
        stop();
        body.completeExceptionally(e); // out of memory, say: never a retryable I/O failure
      }
    }

    private void stop() {
      subscription.cancel();
    }

    @Override
    public void onError(Throwable failure) {
      chunks.clear();
      body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      if (!body.isDone()) {
        try {
          body.complete(join());
        } catch (Error e) {
          body.completeExceptionally(e);
        }
      }
    }

    private byte[] join() {
      byte[] all = new byte[(int) size];
      int at = 0;
      for (byte[] chunk : chunks) {
        System.arraycopy(chunk, 0, all, at, chunk.length);
        at += chunk.length;
      }
      chunks.clear();
      return all;
    }
  }
}
