package dev.backoff4j.redis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code PING} over a plain socket, so the test server's readiness check depends on neither Lettuce
 * nor the code under test.
 */
public final class RespPing {

  private RespPing() {}

  /** True when a server at {@code host:port} answers {@code +PONG} within {@code timeout}. */
  public static boolean ping(String host, int port, Duration timeout) {
    int millis = (int) Math.max(1, timeout.toMillis());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] expected = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
      for (byte b : expected) {
        if (in.read() != b) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
