package dev.backoff4j.langchain4j.internal;

import dev.backoff4j.openai.http.StreamWatch;
import dev.backoff4j.time.ScheduledTask;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream body that is closed when one read waits longer than the watch allows, so a server that
 * goes silent mid-stream cannot hold the reader forever (java.net.http has no read timeout, and
 * LangChain4j's parser reads until the stream ends). The read then fails, and {@link #timedOut()} says why.
 */
final class IdleCutStream extends FilterInputStream {

  private final StreamWatch watch;
  private final Runnable cut;
  private volatile boolean timedOut;

  /**
   * @param cut closes the connection under {@code in}, ending a blocked read
   */
  IdleCutStream(InputStream in, StreamWatch watch, Runnable cut) {
    super(in);
    this.watch = watch;
    this.cut = cut;
  }

  boolean timedOut() {
    return timedOut;
  }

  @Override
  public int read() throws IOException {
    ScheduledTask watchdog = watch.start(this::onIdle);
    try {
      return super.read();
    } finally {
      watchdog.cancel();
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    ScheduledTask watchdog = watch.start(this::onIdle);
    try {
      return in.read(buffer, offset, length);
    } finally {
      watchdog.cancel();
    }
  }

  private void onIdle() {
    timedOut = true;
    cut.run();
  }
}
