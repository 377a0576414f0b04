package dev.backoff4j.openai.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A keep-alive HTTP/1.1 server on 127.0.0.1 that counts what a client does to it: connections open
 * at once, requests in progress at once, requests in all. Each answer waits for {@link #release()}
 * (or {@code delayMillis}) and is a small JSON body.
 */
final class CountingServer implements AutoCloseable {

  private final ServerSocket server;
  private final long delayMillis;
  private final CountDownLatch gate;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peakOpen = new AtomicInteger();
  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicInteger peakInProgress = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();

  /** @param held whether answers wait for {@link #release()} instead of {@code delayMillis} */
  CountingServer(long delayMillis, boolean held) throws IOException {
    this.server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
    this.delayMillis = delayMillis;
    this.gate = new CountDownLatch(held ? 1 : 0);
    Thread acceptor = new Thread(this::accept, "counting-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  void release() {
    gate.countDown();
  }

  int peakOpenConnections() {
    return peakOpen.get();
  }

  int peakInProgress() {
    return peakInProgress.get();
  }

  int requests() {
    return requests.get();
  }

  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        Thread thread = new Thread(() -> serve(socket), "counting-connection");
        thread.setDaemon(true);
        thread.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (readRequest(in)) {
        requests.incrementAndGet();
        peakInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        try {
          if (gate.getCount() > 0) {
            gate.await(30, TimeUnit.SECONDS); // held until released
          } else {
            Thread.sleep(delayMillis);
          }
        } finally {
          inProgress.decrementAndGet();
        }
        byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException | InterruptedException gone) {
      // the client closed the connection
    } finally {
      open.decrementAndGet();
    }
  }

  /** Reads one request; false when the client closed the connection instead. */
  private static boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    int length = 0;
    for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return true;
  }

  @Override
  public void close() throws IOException {
    release();
    server.close();
  }
}
