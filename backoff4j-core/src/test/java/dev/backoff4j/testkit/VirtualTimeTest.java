package dev.backoff4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.time.ScheduledTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T12:00:00Z"));

  @Test
  void tasksRunInDueOrderAtTheirDueTime() {
    List<String> ran = new ArrayList<>();
    time.schedule(Duration.ofSeconds(2).toNanos(), () -> ran.add("b@" + time.elapsed().toSeconds()));
    time.schedule(Duration.ofSeconds(1).toNanos(), () -> ran.add("a@" + time.elapsed().toSeconds()));
    time.schedule(Duration.ofSeconds(9).toNanos(), () -> ran.add("late"));

    time.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("a@1", "b@2");
    assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(5));
    assertThat(time.now()).isEqualTo(Instant.parse("2026-03-01T12:00:05Z"));
    assertThat(time.pendingTasks()).isEqualTo(1);
  }

  @Test
  void cancelledTasksNeverRun() {
    List<String> ran = new ArrayList<>();
    ScheduledTask task = time.schedule(1, () -> ran.add("x"));
    task.cancel();
    time.runUntilIdle();
    assertThat(ran).isEmpty();
  }

  @Test
  void sleepRecordsAndAdvances() throws InterruptedException {
    List<String> ran = new ArrayList<>();
    time.schedule(Duration.ofMillis(500).toNanos(), () -> ran.add("due during sleep"));
    time.sleep(Duration.ofSeconds(1));
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("due during sleep");
  }

  @Test
  void sleepOnAnInterruptedThreadThrows() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> time.sleep(5)).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void runUntilIdleRefusesEndlessRescheduling() {
    Runnable[] again = new Runnable[1];
    again[0] = () -> time.schedule(1, again[0]);
    time.schedule(1, again[0]);
    assertThatThrownBy(() -> time.runUntilIdle(100)).isInstanceOf(IllegalStateException.class);
  }
}
