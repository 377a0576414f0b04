package dev.backoff4j.bench.scenarios;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most TCP connections a server port had open at once while it was watched: Linux's
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} sampled every 20 ms, counting established
 * sockets whose local port is the server's (one per client connection). Elsewhere there is nothing
 * to read and {@link #stop()} answers empty. A sample can miss a connection that lived less than
 * the sampling interval, so the figure is a lower bound.
 */
final class ConnectionCounter {

  private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final String ESTABLISHED = "01";
  private static final long INTERVAL_MILLIS = 20;

  private final int port;
  private final AtomicInteger peak = new AtomicInteger(-1);
  private final Thread sampler;
  private volatile boolean running = true;

  private ConnectionCounter(int port) {
    this.port = port;
    this.sampler = new Thread(this::sample, "connection-counter");
    sampler.setDaemon(true);
  }

  /** Starts watching {@code port}. */
  static ConnectionCounter start(int port) {
    ConnectionCounter counter = new ConnectionCounter(port);
    counter.sampler.start();
    return counter;
  }

  /** Stops watching; the peak seen, or empty where {@code /proc/net/tcp} cannot be read. */
  OptionalInt stop() {
    running = false;
    try {
      sampler.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int seen = peak.get();
    return seen < 0 ? OptionalInt.empty() : OptionalInt.of(seen);
  }

  private void sample() {
    while (running) {
      OptionalInt now = established(port);
      if (now.isEmpty()) {
        return;
      }
      peak.accumulateAndGet(now.getAsInt(), Math::max);
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Established connections to local {@code port} now; empty if no table can be read. */
  static OptionalInt established(int port) {
    int count = 0;
    boolean read = false;
    for (Path table : TABLES) {
      try {
        count += count(Files.readString(table), port);
        read = true;
      } catch (IOException | RuntimeException e) {
        // No such table here (no IPv6, or not Linux).
      }
    }
    return read ? OptionalInt.of(count) : OptionalInt.empty();
  }

  /**
   * Established sockets with local port {@code port} in the text of a {@code /proc/net/tcp} table:
   * a header line, then one line per socket, {@code sl local_address rem_address st ...} with
   * addresses as {@code HEXADDR:HEXPORT} and the state in hex ({@code 01} = established).
   */
  static int count(String table, int port) {
    String wanted = String.format(Locale.ROOT, ":%04X", port);
    int count = 0;
    for (String line : table.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length > 3 && fields[1].endsWith(wanted) && fields[3].equals(ESTABLISHED)) {
        count++;
      }
    }
    return count;
  }
}
