package dev.backoff4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP/1.1 server that misbehaves in ways the mock does not: each request gets the same
 * answer, written by a {@link Behaviour} on the raw socket until the client goes away.
 */
final class HostileServer implements AutoCloseable {

  @FunctionalInterface
  interface Behaviour {
    void answer(OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final AtomicInteger requests = new AtomicInteger();

  HostileServer(Behaviour behaviour) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread connection = new Thread(() -> serve(socket, behaviour), "hostile-connection");
          connection.setDaemon(true);
          connection.start();
        } catch (IOException closed) {
          return;
        }
      }
    }, "hostile-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
  }

  int requests() {
    return requests.get();
  }

  /** One chat chunk, then an SSE comment every 10 ms, forever: alive on the wire, silent in content. */
  static Behaviour oneChunkThenKeepAlives() {
    return out -> {
      streamHead(out);
      chunk(out, "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n");
      while (true) {
        Thread.sleep(10);
        chunk(out, ": keep-alive\n\n");
      }
    };
  }

  /** A chat chunk every 10 ms, forever: a stream that never ends. */
  static Behaviour endlessChunks() {
    return out -> {
      streamHead(out);
      while (true) {
        chunk(out, "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n");
        Thread.sleep(10);
      }
    };
  }

  /** A 307 to another origin. */
  static Behaviour redirectTo(String location) {
    return out -> out.write(("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  private static void streamHead(OutputStream out) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
        + "x-request-id: req_hostile\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  private static void chunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private void serve(Socket socket, Behaviour behaviour) {
    try (socket) {
      readRequest(socket.getInputStream());
      requests.incrementAndGet();
      behaviour.answer(socket.getOutputStream());
    } catch (IOException | InterruptedException gone) {
      // the client went away
    }
  }

  private static void readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("client closed");
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
