package dev.backoff4j.openai.gate;

import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.http.Transport;
import dev.backoff4j.testkit.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * An endpoint on virtual time for the gate's tests: answers 503 while it is down and 200 once it is
 * up, at once, or — when {@link #hold()} is on — only when the test completes the exchange, so the
 * requests in flight can be counted. Records when each request reached it.
 */
final class Endpoint implements Transport {

  static final String COMPLETION = "{\"id\":\"c\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]}";

  private final VirtualTime time;
  private long upAtNanos = Long.MAX_VALUE;
  private IntSupplier status;
  private boolean hold;
  final List<Duration> sentAt = new ArrayList<>();
  final List<CompletableFuture<Response>> pending = new ArrayList<>();
  final List<Request> held = new ArrayList<>();

  Endpoint(VirtualTime time) {
    this.time = time;
  }

  /** Down (503) until {@code upAt} on the virtual clock, then up (200). */
  synchronized Endpoint downUntil(Duration upAt) {
    this.upAtNanos = upAt.toNanos();
    return this;
  }

  synchronized Endpoint up() {
    this.upAtNanos = 0;
    return this;
  }

  /** Each answer's status from {@code status}, whatever the time. */
  synchronized Endpoint answering(IntSupplier status) {
    this.status = status;
    return this;
  }

  /** Exchanges stay in flight until the test completes them with {@link #completeHeld}. */
  synchronized Endpoint hold() {
    this.hold = true;
    return this;
  }

  synchronized int sent() {
    return sentAt.size();
  }

  /** Exchanges in flight (held, not yet completed). */
  synchronized int inFlight() {
    return (int) pending.stream().filter(f -> !f.isDone()).count();
  }

  /** Completes every held exchange with the endpoint's current answer. */
  void completeHeld() {
    List<CompletableFuture<Response>> open;
    List<Request> requests;
    synchronized (this) {
      open = new ArrayList<>(pending);
      requests = new ArrayList<>(held);
      pending.clear();
      held.clear();
    }
    for (int i = 0; i < open.size(); i++) {
      open.get(i).complete(answer(requests.get(i)));
    }
  }

  private synchronized Response answer(Request request) {
    int code = status != null ? status.getAsInt() : time.nanoTime() >= upAtNanos ? 200 : 503;
    String body = code == 200 ? COMPLETION
        : "{\"error\":{\"message\":\"status " + code + "\",\"type\":\"server_error\"}}";
    return new Response(request, code, Headers.of(Map.of("x-request-id", List.of("req_" + sentAt.size()))),
        ResponseBody.of(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public Response execute(Request request, Optional<Duration> timeout) {
    synchronized (this) {
      sentAt.add(time.elapsed());
    }
    return answer(request);
  }

  @Override
  public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
    CompletableFuture<Response> exchange = new CompletableFuture<>();
    boolean later;
    synchronized (this) {
      sentAt.add(time.elapsed());
      later = hold;
      if (later) {
        pending.add(exchange);
        held.add(request);
      }
    }
    if (!later) {
      exchange.complete(answer(request));
    }
    return exchange;
  }
}
