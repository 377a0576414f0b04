package dev.backoff4j.bench.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Drives {@link ChatCaller}s and records every request. Bounded: at the cut-off the workers are
 * interrupted (or, for a burst, the futures cancelled) and unfinished requests are reported as such.
 */
final class LoadRun {

  /** What a run produced; {@code startNanos} is {@link System#nanoTime()} at the run's time zero. */
  record Result(long startNanos, List<Outcome> outcomes, long elapsedNanos, boolean cutOff) {

    long finished() {
      return outcomes.stream().filter(Outcome::finished).count();
    }

    long succeeded() {
      return outcomes.stream().filter(Outcome::ok).count();
    }
  }

  /** One client's share of a closed loop: {@code requests} calls taken by {@code concurrency} workers. */
  record Lane(ChatCaller caller, int requests, int concurrency) {}

  static final String CUT_OFF = "cut off";
  private static final String NOT_STARTED = "not started";
  private static final int NO_MORE = -1;

  private LoadRun() {}

  /**
   * Closed loop: {@code requests} calls taken in order by {@code concurrency} workers, each starting
   * the next call as soon as its previous one returned.
   */
  static Result closedLoop(ChatCaller caller, int requests, int concurrency, Duration cutOff) {
    return closedLoop(List.of(new Lane(caller, requests, concurrency)), cutOff);
  }

  /**
   * Several closed loops at once on one clock, each lane with its own client and workers (S5: four
   * clients sharing one key). Outcomes are lane by lane, in request order within a lane.
   */
  static Result closedLoop(List<Lane> lanes, Duration cutOff) {
    int total = lanes.stream().mapToInt(Lane::requests).sum();
    int threads = lanes.stream().mapToInt(Lane::concurrency).sum();
    AtomicReferenceArray<Outcome> outcomes = new AtomicReferenceArray<>(total);
    ExecutorService workers = Executors.newFixedThreadPool(threads, daemon("closed-loop"));
    long t0 = System.nanoTime();
    int offset = 0;
    for (Lane lane : lanes) {
      AtomicInteger next = new AtomicInteger();
      int first = offset;
      for (int w = 0; w < lane.concurrency(); w++) {
        workers.execute(() -> {
          int i;
          while (!Thread.currentThread().isInterrupted() && (i = next.getAndIncrement()) < lane.requests()) {
            long start = System.nanoTime() - t0;
            outcomes.set(first + i, new Outcome(start, start, -1, false, null, null));
            outcomes.set(first + i, call(lane.caller(), start, start, t0));
          }
        });
      }
      offset += lane.requests();
    }
    return finish(workers, t0, cutOff, outcomes, total, i -> new Outcome(-1, -1, -1, false, NOT_STARTED, null));
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
        i -> new Outcome(arrivalNanos(i, ratePerSecond), -1, -1, false, NOT_STARTED, null));
  }

  /**
   * Burst: {@code calls} asynchronous calls started back to back from one thread, none waiting for
   * another; then waits for all of them. At the cut-off the unfinished ones are cancelled.
   */
  static Result burst(ChatCaller caller, int calls, Duration cutOff) {
    AtomicReferenceArray<Outcome> outcomes = new AtomicReferenceArray<>(calls);
    List<CompletableFuture<?>> futures = new ArrayList<>(calls);
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      int index = i;
      long start = System.nanoTime() - t0;
      // Recorded first: the call may complete before callAsync returns.
      outcomes.set(index, new Outcome(start, start, -1, false, null, null));
      CompletableFuture<?> future = caller.callAsync();
      futures.add(future);
      future.whenComplete((value, error) -> {
        long end = System.nanoTime() - t0;
        if (error == null) {
          outcomes.set(index, new Outcome(start, start, end, true, null, null));
        } else {
          Throwable e = Recipe.unwrap(error);
          outcomes.set(index,
              new Outcome(start, start, end, false, e.getClass().getSimpleName(), firstLine(e.getMessage())));
        }
      });
    }
    boolean cut = false;
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .exceptionally(e -> null)
          .get(Math.max(0, cutOff.toNanos() - (System.nanoTime() - t0)), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      cut = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cut = true;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("unreachable: failures are recorded per call", e);
    }
    long elapsed = System.nanoTime() - t0;
    // Snapshot first: cancelling completes a future, whose callback would then record it as failed.
    List<Outcome> list = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      Outcome o = outcomes.get(i);
      list.add(o.finished() ? o : new Outcome(o.arrivalNanos(), o.startNanos(), -1, false, CUT_OFF, null));
    }
    for (int i = 0; i < calls; i++) {
      if (!list.get(i).finished()) {
        futures.get(i).cancel(true);
      }
    }
    return new Result(t0, List.copyOf(list), elapsed, cut);
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
        return new Outcome(arrival, start, -1, false, CUT_OFF, null);
      }
      return new Outcome(arrival, start, end, false, e.getClass().getSimpleName(), firstLine(e.getMessage()));
    }
  }

  static String firstLine(String message) {
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
        o = new Outcome(o.arrivalNanos(), o.startNanos(), -1, false, CUT_OFF, null);
      }
      list.add(o);
    }
    return new Result(t0, List.copyOf(list), elapsed, cut);
  }

  static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
