package dev.backoff4j.mock.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backoff4j.mock.MockStats;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /_mock/stats[?requests=true]}, {@code POST /_mock/scenario} (JSON body replaces the
 * scenario) and {@code POST /_mock/reset}. Admin requests are never faulted, limited or counted.
 */
final class AdminApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MockEngine engine;

  AdminApi(MockEngine engine) {
    this.engine = engine;
  }

  FullHttpResponse handle(FullHttpRequest request, String path, String query) {
    HttpMethod method = request.method();
    if (path.equals("/_mock/stats") && HttpMethod.GET.equals(method)) {
      Map<String, List<String>> params = new QueryStringDecoder(query, false).parameters();
      boolean withRequests = params.getOrDefault("requests", List.of("false")).contains("true");
      // Only copy the request log when it is asked for: pollers of the counters would pay for it on every call.
      MockStats stats = withRequests ? engine.snapshot() : engine.counts();
      return json(200, statsJson(stats, withRequests).toString());
    }
    if (path.equals("/_mock/scenario") && HttpMethod.POST.equals(method)) {
      Scenario scenario;
      try {
        scenario = Scenario.parseJson(request.content().toString(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return json(400, ErrorResponses.invalidRequest(e.getMessage(), null));
      }
      engine.install(scenario);
      return json(200, "{\"ok\":true}");
    }
    if (path.equals("/_mock/reset") && HttpMethod.POST.equals(method)) {
      engine.reset();
      return json(200, "{\"ok\":true}");
    }
    return json(404, ErrorResponses.invalidRequest(
        "Unknown admin endpoint " + method + " " + path
            + "; use GET /_mock/stats, POST /_mock/scenario or POST /_mock/reset.", null));
  }

  /** The stats JSON: counts always, the request log only when asked for. */
  static ObjectNode statsJson(MockStats stats, boolean withRequests) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("totalRequests", stats.totalRequests());
    ObjectNode byStatus = root.putObject("byStatus");
    new TreeMap<>(stats.byStatus()).forEach((status, count) -> byStatus.put(status.toString(), count));
    ObjectNode byFault = root.putObject("byFault");
    new TreeMap<>(stats.byFault()).forEach(byFault::put);
    root.put("rateLimited", stats.rateLimited());
    if (withRequests) {
      ArrayNode requests = root.putArray("requests");
      for (RequestRecord r : stats.requests()) {
        ObjectNode item = requests.addObject();
        item.put("at", Instant.ofEpochMilli(r.epochMillis()).toString());
        item.put("epochMillis", r.epochMillis());
        item.put("sinceStartNanos", r.sinceStartNanos());
        item.put("method", r.method());
        item.put("path", r.path());
        item.put("status", r.status());
        item.put("fault", r.fault());
        item.put("requestId", r.requestId());
      }
    }
    return root;
  }

  private static FullHttpResponse json(int status, String body) {
    return json(status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static FullHttpResponse json(int status, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    response.headers().set(RateLimitHeaders.REQUEST_ID, "req_mock_admin");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }
}
