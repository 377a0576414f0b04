package dev.backoff4j.bench.scenarios;

import java.util.concurrent.CompletableFuture;

/** One contender's client, ready to make the benchmark's chat call. Thread-safe. */
interface ChatCaller extends AutoCloseable {

  /** Makes one logical chat completion (with whatever retrying the contender does); throws if it failed. */
  void call() throws Exception;

  /**
   * The same call without blocking the caller (S6): completes when the call (with its retries) has
   * succeeded or failed. Cancelling the future gives the call up.
   */
  CompletableFuture<?> callAsync();

  @Override
  void close();
}
