package dev.backoff4j.bench.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Drives a {@link ChatCaller} with a fixed number of worker threads and records every request.
 * Bounded: at the cut-off the workers are interrupted and unfinished requests are reported as such.
 */
final class LoadRun {

  /** What a run produced. */
  record Result(long startNanos, List<Outcome> outcomes, long elapsedNanos, boolean cutOff) {

    long finished() {
      return outcomes.stream().filter(Outcome::finished).count();
    }

    long succeeded() {
      return outcomes.stream().filter(Outcome::ok).count();
    }
  }

  private static final int NO_MORE = -1;

  private LoadRun() {}

  /**
   * Closed loop: {@code requests} calls taken in order by {@code concurrency} workers, each starting
   * the next call as soon as its previous one returned.
   */
  static Result closedLoop(ChatCaller caller, int requests, int concurrency, Duration cutOff) {
    AtomicInteger next = new AtomicInteger();
    AtomicReferenceArray<Outcome> outcomes = new AtomicReferenceArray<>(requests);
    ExecutorService workers = Executors.newFixedThreadPool(concurrency, daemon("closed-loop"));
    long t0 = System.nanoTime();
    for (int w = 0; w < concurrency; w++) {
      workers.execute(() -> {
        int i;
        while (!Thread.currentThread().isInterrupted() && (i = next.getAndIncrement()) < requests) {
          long start = System.nanoTime() - t0;
          outcomes.set(i, new Outcome(start, start, -1, false, null, null));
          outcomes.set(i, call(caller, start, start, t0));
        }
      });
    }
    return finish(workers, t0, cutOff, outcomes, requests, i -> new Outcome(-1, -1, -1, false, "not started", null));
  }

  /**
   * Open loop: request {@code i} is offered at {@code i / ratePerSecond} seconds and queued for
   * {@code concurrency} workers, whether or not earlier requests have finished.
   */
  static Result openLoop(ChatCaller caller, int requests, double ratePerSecond, int concurrency, Duration cutOff) {
    AtomicReferenceArray<Outcome> outcomes = new AtomicReferenceArray<>(requests);
    LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
    ExecutorService workers = Executors.newFixedThreadPool(concurrency + 1, daemon("open-loop"));
    long t0 = System.nanoTime();
    workers.execute(() -> {
      for (int i = 0; i < requests && !Thread.currentThread().isInterrupted(); i++) {
        long due = arrivalNanos(i, ratePerSecond);
        long wait;
        while ((wait = due - (System.nanoTime() - t0)) > 0 && !Thread.currentThread().isInterrupted()) {
          LockSupport.parkNanos(wait);
        }
        queue.add(i);
      }
      for (int w = 0; w < concurrency; w++) {
        queue.add(NO_MORE);
      }
    });
    for (int w = 0; w < concurrency; w++) {
      workers.execute(() -> {
        try {
          int i;
          while ((i = queue.take()) != NO_MORE) {
            long arrival = arrivalNanos(i, ratePerSecond);
            long start = System.nanoTime() - t0;
            outcomes.set(i, new Outcome(arrival, start, -1, false, null, null));
            outcomes.set(i, call(caller, arrival, start, t0));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    return finish(workers, t0, cutOff, outcomes, requests,
        i -> new Outcome(arrivalNanos(i, ratePerSecond), -1, -1, false, "not started", null));
  }

  static long arrivalNanos(int i, double ratePerSecond) {
    return (long) (i * 1e9 / ratePerSecond);
  }

  private static Outcome call(ChatCaller caller, long arrival, long start, long t0) {
    try {
      caller.call();
      return new Outcome(arrival, start, System.nanoTime() - t0, true, null, null);
    } catch (Exception e) {
      long end = System.nanoTime() - t0;
      if (Thread.currentThread().isInterrupted() || e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return new Outcome(arrival, start, -1, false, "cut off", null);
      }
      return new Outcome(arrival, start, end, false, e.getClass().getSimpleName(), firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return null;
    }
    String line = message.lines().findFirst().orElse("");
    return line.length() > 400 ? line.substring(0, 400) + "..." : line;
  }

  private static Result finish(ExecutorService workers, long t0, Duration cutOff,
      AtomicReferenceArray<Outcome> outcomes, int requests, IntFunction<Outcome> missing) {
    workers.shutdown();
    boolean cut;
    try {
      cut = !workers.awaitTermination(cutOff.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cut = true;
    }
    long elapsed = System.nanoTime() - t0;
    if (cut) {
      workers.shutdownNow();
      boolean stopped;
      try {
        stopped = workers.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = false;
      }
      if (!stopped) {
        // A worker that ignores interrupts would go on loading the shared mock during the next run.
        System.err.println("warning: workers still running 10 s after the cut-off; later rows may be disturbed");
      }
    }
    List<Outcome> list = new ArrayList<>(requests);
    for (int i = 0; i < requests; i++) {
      Outcome o = outcomes.get(i);
      if (o == null) {
        o = missing.apply(i);
      } else if (!o.finished() && o.error() == null) {
        o = new Outcome(o.arrivalNanos(), o.startNanos(), -1, false, "cut off", null);
      }
      list.add(o);
    }
    return new Result(t0, List.copyOf(list), elapsed, cut);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
