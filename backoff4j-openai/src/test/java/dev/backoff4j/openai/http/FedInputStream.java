package dev.backoff4j.openai.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body the test writes into piece by piece, as a server would, and whose reader can be
 * awaited: {@link #awaitReaderWaiting()} returns once the reader has taken everything fed and waits
 * for more — so the test knows what the reader has seen before it moves virtual time. Closing it (a
 * watchdog does) ends a blocked read with an IOException, as closing a connection does.
 */
public final class FedInputStream extends InputStream {

  private static final byte[] CLOSED = new byte[0];

  private final BlockingQueue<byte[]> pieces = new LinkedBlockingQueue<>();
  private final Object lock = new Object();
  private byte[] current = new byte[0];
  private int position;
  private boolean waiting;
  private volatile boolean closed;

  public void feed(String text) {
    pieces.add(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Waits (at most 5 s) until the reader has consumed everything fed and is blocked for more. */
  public void awaitReaderWaiting() throws InterruptedException {
    awaitReaderWaiting(new java.util.concurrent.CompletableFuture<>());
  }

  /**
   * Waits (at most 5 s) until the reader has consumed everything fed and is blocked for more, or
   * {@code reading} is done; true in the first case.
   */
  public boolean awaitReaderWaiting(java.util.concurrent.Future<?> reading) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    synchronized (lock) {
      while (!(waiting && pieces.isEmpty())) {
        if (reading.isDone()) {
          return false;
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the reader did not come back for more");
        }
        lock.wait(Math.max(1, Math.min(10, TimeUnit.NANOSECONDS.toMillis(left))));
      }
      return true;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    while (position == current.length) {
      if (closed) {
        throw new IOException("closed");
      }
      byte[] next = pieces.poll();
      if (next == null) {
        synchronized (lock) {
          waiting = true;
          lock.notifyAll();
        }
        try {
          next = pieces.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } finally {
          synchronized (lock) {
            waiting = false;
          }
        }
        if (next == null) {
          throw new IOException("the test fed nothing for 10 s");
        }
      }
      if (next == CLOSED) {
        throw new IOException("closed");
      }
      current = next;
      position = 0;
    }
    int n = Math.min(length, current.length - position);
    System.arraycopy(current, position, buffer, offset, n);
    position += n;
    return n;
  }

  @Override
  public void close() {
    closed = true;
    pieces.add(CLOSED);
  }
}
