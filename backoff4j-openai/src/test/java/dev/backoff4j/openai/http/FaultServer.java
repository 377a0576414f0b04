package dev.backoff4j.openai.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 server on 127.0.0.1 for faults MockWebServer cannot express: a reset in the middle
 * of a body, a stream cut after k events. Each request takes the next scripted {@link Reply}; one
 * request per connection.
 */
public final class FaultServer implements AutoCloseable {

  /** Writes a reply on a raw socket, then the socket is closed (or reset, if the reply did so). */
  @FunctionalInterface
  public interface Reply {
    void write(Socket socket, OutputStream out) throws IOException;
  }

  private final ServerSocket server;
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final Thread acceptor;

  public FaultServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "fault-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
  }

  public void enqueue(Reply reply) {
    replies.add(reply);
  }

  public int requestCount() {
    return requests.get();
  }

  /** A complete response. */
  public static Reply ok(String contentType, String body) {
    return (socket, out) -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      out.write(head(200, contentType, "Content-Length: " + bytes.length));
      out.write(bytes);
      out.flush();
    };
  }

  /** Promises {@code declaredLength} bytes, sends {@code partial}, then resets the connection. */
  public static Reply resetMidBody(int declaredLength, String partial) {
    return (socket, out) -> {
      out.write(head(200, "application/json", "Content-Length: " + declaredLength));
      out.write(partial.getBytes(StandardCharsets.UTF_8));
      out.flush();
      reset(socket);
    };
  }

  /** An event stream that sends {@code events} as {@code data:} lines, then resets without [DONE]. */
  public static Reply streamThenReset(String... events) {
    return (socket, out) -> {
      out.write(head(200, "text/event-stream", "Transfer-Encoding: chunked"));
      for (String event : events) {
        chunk(out, "data: " + event + "\n\n");
      }
      out.flush();
      sleepBriefly(); // let the client read what was sent before the reset discards it
      reset(socket);
    };
  }

  /** An event stream that sends {@code events} then {@code [DONE]}. */
  public static Reply stream(String... events) {
    return (socket, out) -> {
      out.write(head(200, "text/event-stream", "Transfer-Encoding: chunked"));
      for (String event : events) {
        chunk(out, "data: " + event + "\n\n");
      }
      chunk(out, "data: [DONE]\n\n");
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    };
  }

  /** Starts an event stream, sends {@code events}, then nothing more until the client goes away (at most 5 s). */
  public static Reply headersThenStall(String... events) {
    return (socket, out) -> {
      out.write(head(200, "text/event-stream", "Transfer-Encoding: chunked"));
      for (String event : events) {
        chunk(out, "data: " + event + "\n\n");
      }
      out.flush();
      socket.setSoTimeout(5_000);
      try {
        while (socket.getInputStream().read() >= 0) {
          // wait for the client to close
        }
      } catch (IOException gone) {
        // the client reset the connection, or 5 s passed
      }
    };
  }

  /** Closes the connection without a byte. */
  public static Reply hangUp() {
    return (socket, out) -> reset(socket);
  }

  private static void chunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] head(int status, String contentType, String extra) {
    return ("HTTP/1.1 " + status + " OK\r\nContent-Type: " + contentType + "\r\n" + extra
        + "\r\nx-request-id: req_fault\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
    socket.close();
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        readRequest(socket.getInputStream());
        requests.incrementAndGet();
        Reply reply = replies.poll();
        if (reply == null) {
          reply = (s, out) -> out.write(head(500, "application/json", "Content-Length: 0"));
        }
        reply.write(socket, socket.getOutputStream());
      } catch (IOException e) {
        // a client that went away, or the server closing
      }
    }
  }

  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("client closed");
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
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
