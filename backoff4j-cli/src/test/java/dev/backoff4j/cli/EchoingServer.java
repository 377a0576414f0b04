package dev.backoff4j.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A hostile server on 127.0.0.1 that puts the caller's own credential where it should not be: each
 * request is answered with the status and body {@code answer} makes from the {@code Authorization}
 * value it received (with {@code Bearer } removed) and the request body.
 */
final class EchoingServer implements AutoCloseable {

  record Answer(int status, String contentType, String body) {}

  private final HttpServer server;

  EchoingServer(java.util.function.BiFunction<String, String, Answer> answer) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      String key = auth == null ? "" : auth.replaceFirst("^Bearer ", "");
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Answer reply = answer.apply(key, body);
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", reply.contentType());
      exchange.getResponseHeaders().add("x-request-id", "req_echo");
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  static EchoingServer json(int status, Function<String, String> body) {
    return new EchoingServer((key, request) -> new Answer(status, "application/json", body.apply(key)));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
