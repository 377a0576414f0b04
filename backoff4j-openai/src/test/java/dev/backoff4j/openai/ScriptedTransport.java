package dev.backoff4j.openai;

import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.http.ResponseBody;
import dev.backoff4j.openai.http.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A transport answering from a script, recording what reached the wire: for the pipeline's own logic
 * (retries, pacing, listeners) where the HTTP exchange is beside the point. Tests of the wire itself
 * use a real server (MockWebServer, the mock).
 */
public final class ScriptedTransport implements Transport {

  public final List<Request> sent = new ArrayList<>();
  public final List<Optional<Duration>> timeouts = new ArrayList<>();
  private final List<Response> script = new ArrayList<>();

  /** Queues a response; each header has one value. */
  public synchronized ScriptedTransport enqueue(int status, Map<String, String> headers, String body) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    script.add(new Response(Request.get(java.net.URI.create("http://placeholder")), status, Headers.of(multi),
        ResponseBody.of(body.getBytes(StandardCharsets.UTF_8))));
    return this;
  }

  @Override
  public synchronized Response execute(Request request, Optional<Duration> timeout) {
    sent.add(request);
    timeouts.add(timeout);
    if (script.isEmpty()) {
      throw new AssertionError("nothing scripted for " + request);
    }
    Response next = script.remove(0);
    return new Response(request, next.status(), next.headers(), next.body());
  }

  @Override
  public CompletableFuture<Response> executeAsync(Request request, Optional<Duration> timeout) {
    try {
      return CompletableFuture.completedFuture(execute(request, timeout));
    } catch (RuntimeException | AssertionError e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
