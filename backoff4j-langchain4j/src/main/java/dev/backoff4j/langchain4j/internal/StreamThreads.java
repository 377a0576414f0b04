package dev.backoff4j.langchain4j.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads LangChain4j's streaming calls run on: LangChain4j's streaming {@code execute} must
 * return at once, and the call — its retries before the first event, then the parsing of every event
 * — blocks a thread for its whole length, as LangChain4j's own JDK client does. Daemon threads, made
 * on demand and dropped after a minute idle, shared by every client of this module.
 */
final class StreamThreads {

  private static final AtomicInteger NUMBER = new AtomicInteger();

  private StreamThreads() {}

  static Executor executor() {
    return Holder.EXECUTOR;
  }

  private static final class Holder {
    static final Executor EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "backoff4j-langchain4j-stream-" + NUMBER.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
