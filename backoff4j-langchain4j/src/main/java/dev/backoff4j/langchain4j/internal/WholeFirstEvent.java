package dev.backoff4j.langchain4j.internal;

import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.http.StreamWatch;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.spi.Futures;
import dev.backoff4j.time.ScheduledTask;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a stream's attempt open until its first event is complete, so that event is certain to reach
 * LangChain4j. The pipeline ends a streaming attempt at the first {@code data:} line, but LangChain4j's
 * parser hands an event on only at the blank line after it: a connection that breaks between the two
 * would leave the caller with nothing and no retry. Here the rest of the first event is read inside the
 * attempt (within the attempt timeout), and a failure there is retried like any before the first event.
 */
final class WholeFirstEvent implements Interceptor {

  private final StreamWatch watch;

  /** @param watch the clock and the attempt timeout the rest of the first event must arrive within */
  WholeFirstEvent(StreamWatch watch) {
    this.watch = watch;
  }

  @Override
  public Response intercept(Chain chain) {
    return complete(chain.proceed(chain.request()));
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    CompletableFuture<Response> exchange = chain.proceedAsync(chain.request());
    // the read may block (briefly: the rest of an event already under way), so not on the caller's thread
    return Futures.propagateCancel(exchange.thenApplyAsync(this::complete, StreamThreads.executor()), exchange);
  }

  private Response complete(Response response) {
    if (!response.request().streaming() || !response.isSuccessful() || response.body().isBuffered()) {
      return response;
    }
    InputStream in = response.body().stream();
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledTask watchdog = watch.start(() -> {
      timedOut.set(true);
      closeQuietly(response);
    });
    try {
      byte[] seen = toEndOfFirstEvent(in);
      return response.withBody(ResponseBody.of(new SequenceInputStream(new ByteArrayInputStream(seen), in)));
    } catch (IOException e) {
      closeQuietly(response);
      if (timedOut.get()) {
        throw new OpenAiTimeoutException(watch.idleTimeout().orElse(null), e);
      }
      throw new OpenAiConnectionException("stream broken before its first event was complete: " + e, e);
    } finally {
      watchdog.cancel();
    }
  }

  /** The bytes up to and including the blank line that ends the first event with a {@code data:} line. */
  private static byte[] toEndOfFirstEvent(InputStream in) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean sawData = false;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("stream ended before its first event was complete");
      }
      seen.write(b);
      if (b != '\n') {
        line.write(b);
        continue;
      }
      String text = line.toString(java.nio.charset.StandardCharsets.UTF_8);
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      line.reset();
      if (text.isEmpty() && sawData) {
        return seen.toByteArray();
      }
      sawData |= text.startsWith("data:");
    }
  }

  private static void closeQuietly(Response response) {
    try {
      response.close();
    } catch (RuntimeException ignored) {
      // the failure being reported matters more
    }
  }

  @Override
  public String toString() {
    return "WholeFirstEvent";
  }
}
