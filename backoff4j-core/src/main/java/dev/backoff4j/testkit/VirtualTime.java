package dev.backoff4j.testkit;

import dev.backoff4j.time.ScheduledTask;
import dev.backoff4j.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * A {@link TimeSource} whose time moves only when told to, for testing retry code without sleeping.
 *
 * <ul>
 *   <li>{@link #sleep} records the requested duration and advances time by it at once, running any
 *       scheduled task that falls due on the way.
 *   <li>{@link #schedule} queues the task; {@link #advance} and {@link #runUntilIdle} run due tasks
 *       on the calling thread, in due-time order.
 *   <li>{@link #await} runs due tasks on the calling thread, moving time, until the future is done or
 *       the time is up.
 *   <li>{@link #defaultExecutor()} runs work inline, so an asynchronous retry whose wait falls due
 *       during {@link #advance} runs on the thread calling it, before {@code advance} returns (unless
 *       the policy was given an executor of its own).
 * </ul>
 *
 * <p>Thread-safe. Tasks run outside the internal lock, so a task may schedule further tasks.
 */
public final class VirtualTime implements TimeSource {

  private final Instant epoch;
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.dueNanos).thenComparingLong(t -> t.sequence));
  private final List<Duration> sleeps = new ArrayList<>();
  private long nowNanos;
  private long sequence;

  /** Starts at the wall-clock instant 2026-01-01T00:00:00Z. */
  public VirtualTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Starts at the given wall-clock instant; {@link #nanoTime()} starts at 0. */
  public VirtualTime(Instant epoch) {
    this.epoch = epoch;
  }

  @Override
  public synchronized long nanoTime() {
    return nowNanos;
  }

  @Override
  public synchronized Instant now() {
    return epoch.plusNanos(nowNanos);
  }

  /** Time passed since this clock was created. */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(nowNanos);
  }

  @Override
  public void sleep(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    synchronized (this) {
      sleeps.add(Duration.ofNanos(Math.max(0, nanos)));
    }
    advance(Duration.ofNanos(Math.max(0, nanos)));
  }

  @Override
  public synchronized ScheduledTask schedule(long delayNanos, Runnable runnable) {
    Task task = new Task(nowNanos + Math.max(0, delayNanos), sequence++, runnable);
    queue.add(task);
    return () -> {
      synchronized (VirtualTime.this) {
        queue.remove(task);
      }
    };
  }

  /**
   * Runs due tasks on the calling thread, in due-time order and moving time to each, until
   * {@code future} is done or {@code nanos} have passed (time then stands at that point).
   */
  @Override
  public boolean await(Future<?> future, long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long target;
    synchronized (this) {
      long sum = nowNanos + Math.max(0, nanos);
      target = sum < nowNanos ? Long.MAX_VALUE : sum;
    }
    while (!future.isDone()) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.dueNanos > target) {
          nowNanos = Math.max(nowNanos, target);
          return future.isDone();
        }
        queue.poll();
        nowNanos = Math.max(nowNanos, next.dueNanos);
      }
      next.runnable.run();
    }
    return true;
  }

  /**
   * Runs the next queued task, moving time to its due time (never back).
   *
   * @return {@code false} when no task was queued
   */
  public boolean runNext() {
    Task next;
    synchronized (this) {
      next = queue.poll();
      if (next == null) {
        return false;
      }
      nowNanos = Math.max(nowNanos, next.dueNanos);
    }
    next.runnable.run();
    return true;
  }

  /** Runs work inline: on the thread that moves time, or the one that completed the awaited stage. */
  @Override
  public Executor defaultExecutor() {
    return Runnable::run;
  }

  /** Moves time forward by {@code duration}, running every task that falls due, each at its due time. */
  public void advance(Duration duration) {
    long target;
    synchronized (this) {
      target = nowNanos + duration.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.dueNanos > target) {
          nowNanos = Math.max(nowNanos, target);
          return;
        }
        queue.poll();
        nowNanos = Math.max(nowNanos, next.dueNanos);
      }
      next.runnable.run();
    }
  }

  /**
   * Runs queued tasks, jumping time to each one's due time, until none is left.
   *
   * @throws IllegalStateException if tasks keep scheduling tasks beyond {@code maxTasks}
   */
  public void runUntilIdle(int maxTasks) {
    for (int run = 0; run < maxTasks; run++) {
      Task next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          return;
        }
        nowNanos = Math.max(nowNanos, next.dueNanos);
      }
      next.runnable.run();
    }
    throw new IllegalStateException("still busy after " + maxTasks + " tasks");
  }

  /** Same as {@code runUntilIdle(10_000)}. */
  public void runUntilIdle() {
    runUntilIdle(10_000);
  }

  /** Every duration passed to {@link #sleep}, in order. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** Number of tasks scheduled and neither run nor cancelled. */
  public synchronized int pendingTasks() {
    return queue.size();
  }

  @Override
  public synchronized String toString() {
    return "VirtualTime[elapsed=" + Duration.ofNanos(nowNanos) + ", pending=" + queue.size() + "]";
  }

  private record Task(long dueNanos, long sequence, Runnable runnable) {}
}
