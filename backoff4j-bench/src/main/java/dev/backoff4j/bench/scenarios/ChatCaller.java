package dev.backoff4j.bench.scenarios;

/** One contender's client, ready to make the benchmark's chat call. Thread-safe. */
interface ChatCaller extends AutoCloseable {

  /** Makes one logical chat completion (with whatever retrying the contender does); throws if it failed. */
  void call() throws Exception;

  @Override
  void close();
}
