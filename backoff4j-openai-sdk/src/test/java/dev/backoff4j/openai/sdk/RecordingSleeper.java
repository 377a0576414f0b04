package dev.backoff4j.openai.sdk;

import com.openai.core.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The plain SDK's sleeper in tests: records each wait it asks for and returns at once. */
final class RecordingSleeper implements Sleeper {

  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
  }

  @Override
  public synchronized CompletableFuture<Void> sleepAsync(Duration duration) {
    sleeps.add(duration);
    return CompletableFuture.completedFuture(null);
  }

  synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public void close() {}
}
