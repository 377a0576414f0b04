package dev.backoff4j.openai.http;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code maxPerHost} exchanges in flight per origin (scheme, host, port); the others wait in
 * line, first come first served, without holding a thread. A waiter whose future is cancelled (its
 * caller gave up or timed out) leaves the line. Thread-safe.
 */
final class HostLimiter {

  /** One exchange's place; {@link #release()} is idempotent. */
  final class Permit {
    private final String origin;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(String origin) {
      this.origin = origin;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        HostLimiter.this.release(origin);
      }
    }
  }

  private static final class Host {
    int inFlight;
    final ArrayDeque<CompletableFuture<Permit>> waiting = new ArrayDeque<>();
  }

  private final int maxPerHost;
  private final Map<String, Host> hosts = new HashMap<>();

  HostLimiter(int maxPerHost) {
    this.maxPerHost = maxPerHost;
  }

  int maxPerHost() {
    return maxPerHost;
  }

  /** A permit for {@code uri}'s origin: at once if one is free, else when an exchange before it ends. */
  CompletableFuture<Permit> acquire(URI uri) {
    String origin = origin(uri);
    synchronized (this) {
      Host host = hosts.computeIfAbsent(origin, key -> new Host());
      if (host.inFlight < maxPerHost) {
        host.inFlight++;
        return CompletableFuture.completedFuture(new Permit(origin));
      }
      CompletableFuture<Permit> waiter = new CompletableFuture<>();
      host.waiting.add(waiter);
      return waiter;
    }
  }

  /** Exchanges in flight and waiting for {@code uri}'s origin, for tests and diagnostics. */
  synchronized int[] load(URI uri) {
    Host host = hosts.get(origin(uri));
    return host == null ? new int[] {0, 0} : new int[] {host.inFlight, host.waiting.size()};
  }

  private void release(String origin) {
    while (true) {
      CompletableFuture<Permit> next;
      synchronized (this) {
        Host host = hosts.get(origin);
        next = host.waiting.poll();
        while (next != null && next.isDone()) {
          next = host.waiting.poll(); // cancelled while waiting
        }
        if (next == null) {
          host.inFlight--;
          if (host.inFlight == 0) {
            hosts.remove(origin);
          }
          return;
        }
      }
      // The place passes to the next in line; completed outside the lock, as it starts its exchange.
      if (next.complete(new Permit(origin))) {
        return;
      }
    }
  }

  private static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
  }

  @Override
  public String toString() {
    return "HostLimiter[" + maxPerHost + " per host]";
  }
}
