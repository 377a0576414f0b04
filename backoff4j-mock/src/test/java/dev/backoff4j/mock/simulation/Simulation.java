package dev.backoff4j.mock.simulation;

import static org.assertj.core.api.Assertions.fail;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiClientBuilder;
import dev.backoff4j.openai.http.JdkHttpTransport;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.retry.RetryPolicyBuilder;
import dev.backoff4j.spi.Futures;
import dev.backoff4j.testkit.VirtualTime;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Real clients against the real mock over HTTP on 127.0.0.1, with one virtual clock for both: the
 * mock's buckets and outage windows, and the clients' pacing, retries and gate. Virtual time moves
 * only while no exchange is in flight (and everything an answer sets off has run), so a run depends
 * on the limits and the rules, not on how fast or loaded the machine is: requests released at the
 * same virtual instant reach the mock at the same virtual instant, however long the real exchange
 * takes.
 *
 * <p>Clients must run asynchronously on the clock's own executor (the default under
 * {@link VirtualTime}), so everything but the HTTP exchange runs on the thread that moves time or
 * on the thread completing an exchange, before that exchange counts as done.
 */
public final class Simulation implements AutoCloseable {

  private static final Duration REAL_LIMIT = Duration.ofSeconds(60);

  public final VirtualTime time = new VirtualTime();
  public final MockServer server;
  private final Transport transport;
  private final Object lock = new Object();
  private int inFlight;
  private long exchanges;

  public Simulation(Scenario scenario) {
    this.server = MockServer.builder().scenario(scenario).nanoTime(time::nanoTime).start();
    this.transport = new Counted(JdkHttpTransport.create(Duration.ofSeconds(5)));
  }

  /** A client of the mock on the virtual clock with {@code policy} (its clock replaced), quiet. */
  public OpenAiClientBuilder client(RetryPolicyBuilder<Object> policy) {
    return OpenAiClient.builder().environment(name -> null).baseUrl(server.baseUrl()).apiKey("sk-simulation")
        .retryPolicy(policy.timeSource(time).retryLogLevel(Level.OFF).build()).transport(transport);
  }

  /** Starts {@code call} at virtual time {@code at}; the returned future follows the call. */
  public <T> CompletableFuture<T> at(Duration at, Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    time.schedule(at.toNanos(), () -> call.get().whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(Futures.unwrap(failure));
      }
    }));
    return result;
  }

  /**
   * Moves virtual time from one scheduled task to the next, each time after every exchange in flight
   * has been answered, until all {@code calls} are done.
   */
  public void runUntilDone(Collection<? extends CompletableFuture<?>> calls) {
    long realDeadline = System.nanoTime() + REAL_LIMIT.toNanos();
    while (true) {
      awaitQuiet(realDeadline);
      if (calls.stream().allMatch(CompletableFuture::isDone)) {
        return;
      }
      if (!time.runNext()) {
        fail("calls still pending with nothing scheduled at " + time.elapsed());
      }
    }
  }

  /** Exchanges sent through the simulation's transport. */
  public long exchanges() {
    synchronized (lock) {
      return exchanges;
    }
  }

  private void awaitQuiet(long realDeadline) {
    synchronized (lock) {
      while (inFlight > 0) {
        long left = realDeadline - System.nanoTime();
        if (left <= 0) {
          fail(inFlight + " exchanges still in flight after " + REAL_LIMIT);
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail("interrupted");
        }
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }

  /**
   * Sends one exchange at a time, in the order they were sent, and counts what is in flight; an
   * exchange ends only after everything its completion set off has run. Virtual time does not move
   * meanwhile, so exchanges sent at one virtual instant still reach the mock at that instant — in the
   * order the client sent them, with each answer handled before the next is sent. Concurrency on the
   * wire would make the mock's order, and so the counts, depend on thread scheduling.
   */
  private final class Counted implements Transport {
    private final Transport delegate;
    private final java.util.ArrayDeque<Runnable> queued = new java.util.ArrayDeque<>();
    private boolean sending;

    Counted(Transport delegate) {
      this.delegate = delegate;
    }

    @Override
    public Response execute(Request request, Optional<Duration> timeout) {
      throw new UnsupportedOperationException("a simulation runs its clients asynchronously");
    }

    @Override
    public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
      CompletableFuture<Response> answer = new CompletableFuture<>();
      boolean now;
      synchronized (lock) {
        inFlight++;
        exchanges++;
        queued.add(() -> send(request, timeout, answer));
        now = !sending;
        sending = true;
      }
      if (now) {
        next();
      }
      return answer;
    }

    /** Sends the next queued exchange, if any. */
    private void next() {
      Runnable send;
      synchronized (lock) {
        send = queued.poll();
        if (send == null) {
          sending = false;
          return;
        }
      }
      send.run();
    }

    private void send(Request request, Optional<Duration> timeout, CompletableFuture<Response> answer) {
      CompletableFuture<Response> exchange;
      try {
        exchange = delegate.executeAsync(request, timeout);
      } catch (RuntimeException e) {
        exchange = CompletableFuture.failedFuture(e);
      }
      Futures.propagateCancel(answer, exchange);
      exchange.whenComplete((response, failure) -> {
        try {
          if (failure == null) {
            answer.complete(response);
          } else {
            answer.completeExceptionally(Futures.unwrap(failure));
          }
        } finally {
          synchronized (lock) {
            inFlight--;
            lock.notifyAll();
          }
          next();
        }
      });
    }
  }
}
