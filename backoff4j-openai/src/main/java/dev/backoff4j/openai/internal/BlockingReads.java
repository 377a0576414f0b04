package dev.backoff4j.openai.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the one read on the non-blocking path that must block: a stream's first event. Kept
 * apart from the pool asynchronous retries continue on (the common pool, or the thread moving virtual
 * time), so a server that is slow to send its first event cannot starve retries, nor block the caller
 * of {@code streamAsync}. Daemon threads, made on demand and dropped after a minute idle.
 */
public final class BlockingReads {

  private static final AtomicInteger NUMBER = new AtomicInteger();

  private BlockingReads() {}

  /** The shared executor; created on first use. */
  public static Executor executor() {
    return Holder.EXECUTOR;
  }

  private static final class Holder {
    static final Executor EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "backoff4j-stream-reader-" + NUMBER.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
