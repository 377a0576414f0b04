package dev.backoff4j.langchain4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on 127.0.0.1 that answers the n-th connection with the n-th script, byte for byte, for the
 * stream endings the mock does not make: a break inside an event, a clean end without {@code [DONE]}.
 * One request per connection ({@code Connection: close}); connections past the scripts are closed.
 */
final class RawSseServer implements AutoCloseable {

  /** What to write on one connection. */
  interface Script {
    void answer(Socket socket, OutputStream out) throws IOException;
  }

  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  RawSseServer(List<Script> scripts) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          int n = connections.getAndIncrement();
          Thread handler = new Thread(() -> handle(connection, n < scripts.size() ? scripts.get(n) : null));
          handler.setDaemon(true);
          handler.start();
        } catch (IOException e) {
          return; // closed
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
  }

  int connections() {
    return connections.get();
  }

  private static void handle(Socket connection, Script script) {
    try (connection) {
      BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
      int length = 0;
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      in.skip(length); // one char per byte for the ASCII JSON LangChain4j sends here
      if (script != null) {
        script.answer(connection, connection.getOutputStream());
      }
    } catch (IOException ignored) {
      // the client went away
    }
  }

  /** The status line and headers of a chunked event stream. */
  static void streamHeaders(OutputStream out) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** One chunk of the chunked body. */
  static void chunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The last chunk: a clean end of the body. */
  static void end(OutputStream out) throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** TCP RST instead of an orderly close. */
  static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** A chat completion chunk carrying {@code content}, and {@code finish} as its finish reason (or none). */
  static String chatChunk(String content, String finish) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
        + "\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
