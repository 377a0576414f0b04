package dev.backoff4j.retry.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.retry.Jitter;
import dev.backoff4j.retry.RetryPolicy;
import dev.backoff4j.testkit.VirtualTime;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads what the retry log writes through java.util.logging, System.Logger's default backend. */
class LoggingRetryListenerTest {

  private final Logger jul = Logger.getLogger("dev.backoff4j.retry");
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private java.util.logging.Level previous;

  @BeforeEach
  void capture() {
    previous = jul.getLevel();
    jul.setLevel(java.util.logging.Level.ALL);
    jul.addHandler(capture);
  }

  @AfterEach
  void release() {
    jul.removeHandler(capture);
    jul.setLevel(previous);
  }

  private RetryPolicy<Object> policy(VirtualTime time) {
    return RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ofSeconds(1)).jitter(Jitter.NONE)
        .retryLogLevel(Level.INFO).timeSource(time).build();
  }

  @Test
  void aCancelledExecutionIsNoWarning() {
    VirtualTime time = new VirtualTime();
    RetryPolicy<Object> policy = policy(time);
    for (int i = 0; i < 1000; i++) {
      policy.getAsync(CompletableFuture::new).cancel(true);
    }
    assertThat(records).isNotEmpty()
        .allSatisfy(record -> assertThat(record.getLevel().intValue()).isLessThan(java.util.logging.Level.INFO.intValue()));
  }

  @Test
  void givingUpOnAFailureIsAWarning() {
    VirtualTime time = new VirtualTime();
    policy(time).getAsync(() -> CompletableFuture.failedFuture(new IllegalStateException("down")));
    time.runUntilIdle();
    assertThat(records).extracting(LogRecord::getLevel)
        .containsExactly(java.util.logging.Level.INFO, java.util.logging.Level.WARNING);
  }
}
