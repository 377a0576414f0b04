package dev.backoff4j.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backoff4j.mock.Fault;
import dev.backoff4j.mock.FaultKind;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.spi.GoDuration;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Routes each HTTP request: {@code /_mock/*} to {@link AdminApi}, {@code /v1/*} through auth, the
 * rate limiter and fault selection to an answer. Every {@link Endpoint} takes the same path, so each
 * fault acts on all of them alike. Never blocks the event loop: delays are scheduled on the
 * channel's executor.
 */
@ChannelHandler.Sharable
public final class MockHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  /** RFC 9110 IMF-fixdate; RFC_1123_DATE_TIME would drop the leading zero of days 1-9. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static String httpDate(ZonedDateTime time) {
    return HTTP_DATE.format(time.withZoneSameInstant(ZoneOffset.UTC));
  }
  private static final String JSON_TYPE = "application/json";

  private final MockEngine engine;
  private final AdminApi admin;

  public MockHttpHandler(MockEngine engine) {
    this.engine = engine;
    this.admin = new AdminApi(engine);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (path.startsWith("/_mock/")) {
      FullHttpResponse response = admin.handle(request, path, query < 0 ? "" : uri.substring(query + 1));
      send(ctx, response, keepAlive);
      return;
    }
    new ApiCall(ctx, request, path, keepAlive).handle();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Clients hang up mid-request all the time here (that is the point of a fault server).
    ctx.close();
  }

  /** One API request, from arrival to answer. */
  private final class ApiCall {
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final String path;
    private final boolean keepAlive;
    private final ScenarioState state = engine.state();
    private final Scenario scenario = state.scenario();
    private final long arrivalEpochMillis = System.currentTimeMillis();
    private final long arrivalNanos = engine.sinceStartNanos();
    private final String requestId = newRequestId();
    private final HttpHeaders headers = new DefaultHttpHeaders();

    ApiCall(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive) {
      this.ctx = ctx;
      this.request = request;
      this.path = path;
      this.keepAlive = keepAlive;
      headers.set(RateLimitHeaders.REQUEST_ID, requestId);
    }

    void handle() {
      String key = bearerKey();
      if (scenario.apiKey().isPresent() && !scenario.apiKey().get().equals(key)) {
        finish(401, null, false);
        sendError(401, ErrorResponses.unauthorized(), 0);
        return;
      }
      Endpoint endpoint = Endpoint.of(request.method(), path);
      if (endpoint == null) {
        addRateLimitHeaders(state.rateLimiter().charge(limiterKey(key), 0));
        finish(404, null, false);
        sendError(404, ErrorResponses.unknownUrl(request.method().name(), path, Endpoint.SERVED), 0);
        return;
      }
      Object parsed;
      long cost;
      try {
        if (endpoint == Endpoint.CHAT) {
          ChatRequest chat = ChatRequest.from(body());
          long completion =
              chat.maxTokens() >= 0 ? chat.maxTokens() : Tokens.estimate(replyFor(chat.lastUserText()).length());
          cost = Tokens.estimate(chat.promptChars()) + completion * chat.n();
          parsed = chat;
        } else if (endpoint == Endpoint.RESPONSES) {
          // Charged as chat is: the input plus the most the answer may use (max_output_tokens).
          ResponsesRequest responses = ResponsesRequest.from(body());
          long output = responses.maxOutputTokens() >= 0
              ? responses.maxOutputTokens() : Tokens.estimate(replyFor(responses.lastUserText()).length());
          cost = Tokens.estimate(responses.inputChars()) + output;
          parsed = responses;
        } else if (endpoint == Endpoint.EMBEDDINGS) {
          EmbeddingRequest embedding = EmbeddingRequest.from(body());
          cost = embedding.inputTokens();
          parsed = embedding;
        } else {
          cost = 0;
          parsed = null;
        }
      } catch (BadParameterException e) {
        // Invalid requests count against the limit too, at no token cost.
        addRateLimitHeaders(state.rateLimiter().charge(limiterKey(key), 0));
        finish(400, null, false);
        sendError(400, ErrorResponses.invalidRequest(e.getMessage(), e.param()), 0);
        return;
      }

      RateLimiter.Decision decision = state.rateLimiter().charge(limiterKey(key), cost);
      addRateLimitHeaders(decision);
      if (!decision.allowed()) {
        long retryMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(decision.retryAfterNanos() + 999_999));
        headers.set(RateLimitHeaders.RETRY_AFTER_MS, Long.toString(retryMillis));
        headers.set(RateLimitHeaders.RETRY_AFTER, Long.toString((retryMillis + 999) / 1000));
        finish(429, "rate-limited", true);
        long limit = decision.tokenLimited() ? decision.limitTokens() : decision.limitRequests();
        sendError(429, ErrorResponses.rateLimited(decision.tokenLimited(), limit, retryMillis),
            state.sampleLatencyNanos());
        return;
      }

      Fault fault = state.nextFault(name -> request.headers().get(name));
      long delay = fault.kind() == FaultKind.LATENCY ? fault.duration().toNanos() : state.sampleLatencyNanos();
      applyFault(fault, endpoint, parsed, delay);
    }

    private void applyFault(Fault fault, Endpoint endpoint, Object parsed, long delayNanos) {
      String token = faultToken(fault);
      switch (fault.kind()) {
        case NONE:
        case LATENCY:
          finish(200, token, false);
          later(delayNanos, () -> answer(endpoint, parsed, StreamStop.NONE));
          return;
        case STATUS:
        case OUTAGE:
          finish(fault.status(), token, false);
          sendError(fault.status(), ErrorResponses.forStatus(fault.status()), delayNanos);
          return;
        case QUOTA:
          finish(429, token, false);
          sendError(429, ErrorResponses.insufficientQuota(), delayNanos);
          return;
        case HINT_MS:
        case HINT_SECONDS:
        case HINT_DATE:
        case HINT_ABSURD:
        case HINT_NEGATIVE:
        case HINT_GARBAGE:
          addRetryHints(fault);
          finish(429, token, false);
          sendError(429, ErrorResponses.forStatus(429), delayNanos);
          return;
        case SHOULD_RETRY:
        case SHOULD_NOT_RETRY:
          headers.set(RateLimitHeaders.SHOULD_RETRY, Boolean.toString(fault.kind() == FaultKind.SHOULD_RETRY));
          finish(fault.status(), token, false);
          sendError(fault.status(), ErrorResponses.forStatus(fault.status()), delayNanos);
          return;
        case STALL:
          finish(0, token, false);
          return; // The connection stays open until the client gives up or the server stops.
        case RESET:
          finish(0, token, false);
          later(delayNanos, () -> {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            ctx.channel().close();
          });
          return;
        case CUT:
          finish(200, token, false);
          later(delayNanos, () -> answer(endpoint, parsed, StreamStop.cut(0)));
          return;
        case SSE_CUT:
          finish(200, token, false);
          later(delayNanos, () -> answer(endpoint, parsed, StreamStop.cut((int) fault.amount())));
          return;
        case SSE_ERROR:
        case SSE_FAILED:
        case SSE_RATE_LIMIT: {
          StreamFailure failure = StreamFailure.of(fault.kind());
          if (streams(parsed)) {
            finish(200, token, false);
            later(delayNanos, () -> answer(endpoint, parsed, StreamStop.fail((int) fault.amount(), failure)));
          } else {
            finish(failure.status(), token, false);
            sendError(failure.status(), ErrorResponses.streamFailureJson(failure), delayNanos);
          }
          return;
        }
        case MALFORMED: {
          finish(200, token, false);
          byte[] malformed = endpoint == Endpoint.RESPONSES
              ? ErrorResponses.MALFORMED_RESPONSE_JSON : ErrorResponses.MALFORMED_CHAT_JSON;
          later(delayNanos, () -> sendBody(200, JSON_TYPE, Unpooled.wrappedBuffer(malformed).asReadOnly()));
          return;
        }
        case HTML_502:
          finish(502, token, false);
          // A proxy answers, not OpenAI: no rate-limit headers, just a page.
          headers.remove(RateLimitHeaders.LIMIT_REQUESTS).remove(RateLimitHeaders.LIMIT_TOKENS)
              .remove(RateLimitHeaders.REMAINING_REQUESTS).remove(RateLimitHeaders.REMAINING_TOKENS)
              .remove(RateLimitHeaders.RESET_REQUESTS).remove(RateLimitHeaders.RESET_TOKENS);
          later(delayNanos,
              () -> sendBody(502, "text/html", Unpooled.wrappedBuffer(ErrorResponses.HTML_502).asReadOnly()));
          return;
        default:
          throw new IllegalStateException("unhandled fault kind " + fault.kind());
      }
    }

    /**
     * Sends the success answer, or stops it short as {@code stop} says: streams after
     * {@code stop.afterEvents()} events, other bodies after half their bytes (only a cut reaches a
     * body that is not a stream: its failures were answered as HTTP errors).
     */
    private void answer(Endpoint endpoint, Object parsed, StreamStop stop) {
      long created = arrivalEpochMillis / 1000;
      long gapNanos = scenario.streamGap().toNanos();
      ByteBuf body;
      switch (endpoint) {
        case CHAT: {
          ChatRequest chat = (ChatRequest) parsed;
          String model = chat.model() != null ? chat.model() : scenario.model();
          String reply = replyFor(chat.lastUserText());
          JsonBodies.Usage usage = new JsonBodies.Usage(
              Tokens.estimate(chat.promptChars()), Tokens.estimate(reply.length()) * chat.n());
          String id = "chatcmpl-" + hexId();
          if (chat.stream()) {
            new SseStream(ctx, headers, keepAlive, gapNanos,
                new ChatStreamEvents(scenario.streamChunks(), id, created, model, chat, reply, usage), stop).start();
            return;
          }
          body = JsonBodies.chatCompletion(ctx.alloc(), id, created, model, reply, chat.n(), usage);
          break;
        }
        case RESPONSES: {
          ResponsesRequest responses = (ResponsesRequest) parsed;
          String reply = replyFor(responses.lastUserText());
          ResponseAnswer answer = new ResponseAnswer(hexId(), created,
              responses.model() != null ? responses.model() : scenario.model(), responses, reply,
              Tokens.estimate(responses.inputChars()), Tokens.estimate(reply.length()), scenario.streamChunks());
          if (responses.stream()) {
            new SseStream(ctx, headers, keepAlive, gapNanos, answer, stop).start();
            return;
          }
          body = answer.body(ctx.alloc(), System.currentTimeMillis() / 1000);
          break;
        }
        case EMBEDDINGS: {
          EmbeddingRequest embedding = (EmbeddingRequest) parsed;
          int dimensions = embedding.dimensions() > 0 ? embedding.dimensions() : scenario.embeddingDimensions();
          String model = embedding.model() != null ? embedding.model() : "text-embedding-3-small";
          body = JsonBodies.embeddings(ctx.alloc(), model, embedding.inputs(), dimensions, embedding.base64(),
              embedding.inputTokens());
          break;
        }
        default:
          body = JsonBodies.models(ctx.alloc(), scenario.models());
      }
      if (stop.cutsConnection()) {
        sendCut(body);
      } else {
        sendBody(200, JSON_TYPE, body);
      }
    }

    private String replyFor(String lastUserText) {
      return scenario.reply().orElse(lastUserText);
    }

    /** The request id's random hex, from which the answer's own ids derive. */
    private String hexId() {
      return requestId.substring(4);
    }

    private JsonNode body() {
      ByteBuf content = request.content();
      if (!content.isReadable()) {
        throw new BadParameterException(null, "The request body must be a JSON object.");
      }
      try {
        JsonNode node = MAPPER.readTree((java.io.InputStream) new ByteBufInputStream(content.duplicate()));
        if (node == null || !node.isObject()) {
          throw new BadParameterException(null, "The request body must be a JSON object.");
        }
        return node;
      } catch (IOException e) {
        throw new BadParameterException(null,
            "We could not parse the JSON body of your request. (backoff4j-mock: " + e.getMessage() + ")");
      }
    }

    /** Requests without a key share one bucket. */
    private String limiterKey(String key) {
      return key == null ? "" : key;
    }

    private String bearerKey() {
      String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
      if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return null;
      }
      return authorization.substring(7).trim();
    }

    private void addRateLimitHeaders(RateLimiter.Decision d) {
      headers.set(RateLimitHeaders.LIMIT_REQUESTS, Long.toString(d.limitRequests()));
      headers.set(RateLimitHeaders.LIMIT_TOKENS, Long.toString(d.limitTokens()));
      headers.set(RateLimitHeaders.REMAINING_REQUESTS, Long.toString(d.remainingRequests()));
      headers.set(RateLimitHeaders.REMAINING_TOKENS, Long.toString(d.remainingTokens()));
      headers.set(RateLimitHeaders.RESET_REQUESTS, goDurationMillis(d.resetRequestsNanos()));
      headers.set(RateLimitHeaders.RESET_TOKENS, goDurationMillis(d.resetTokensNanos()));
    }

    private void addRetryHints(Fault fault) {
      switch (fault.kind()) {
        case HINT_MS:
          headers.set(RateLimitHeaders.RETRY_AFTER_MS, Long.toString(fault.amount()));
          break;
        case HINT_SECONDS:
          headers.set(RateLimitHeaders.RETRY_AFTER, Long.toString(fault.amount()));
          break;
        case HINT_DATE:
          headers.set(RateLimitHeaders.RETRY_AFTER,
              httpDate(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(fault.amount())));
          break;
        case HINT_ABSURD:
          headers.set(RateLimitHeaders.RETRY_AFTER_MS, Long.toString(Duration.ofDays(365).toMillis()));
          headers.set(RateLimitHeaders.RETRY_AFTER, Long.toString(Duration.ofDays(365).toSeconds()));
          break;
        case HINT_NEGATIVE:
          headers.set(RateLimitHeaders.RETRY_AFTER_MS, "-1000");
          headers.set(RateLimitHeaders.RETRY_AFTER, "-1");
          break;
        default:
          headers.set(RateLimitHeaders.RETRY_AFTER_MS, "soon");
          headers.set(RateLimitHeaders.RETRY_AFTER, "whenever you like");
      }
    }

    /** Counts the request once its outcome is decided (before any delay). */
    private void finish(int status, String faultToken, boolean rateLimited) {
      StatsRecorder stats = engine.stats();
      stats.record(new RequestRecord(arrivalEpochMillis, arrivalNanos, request.method().name(), path, status,
          faultToken == null ? "none" : faultToken, requestId), faultToken, rateLimited);
    }

    /** Sends {@code json}, which may be a shared constant: it is wrapped, never written to. */
    private void sendError(int status, byte[] json, long delayNanos) {
      later(delayNanos, () -> sendBody(status, JSON_TYPE, Unpooled.wrappedBuffer(json).asReadOnly()));
    }

    private void sendBody(int status, String contentType, ByteBuf body) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
      response.headers().set(headers);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      send(ctx, response, keepAlive);
    }

    /** Announces the full length, sends half the bytes, and closes: a body cut short. */
    private void sendCut(ByteBuf body) {
      int fullLength = body.readableBytes();
      ByteBuf half = body.readRetainedSlice(fullLength / 2);
      body.release();
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, half);
      response.headers().set(headers);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_TYPE);
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, fullLength);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** Runs {@code action} on this channel's event loop after {@code delayNanos} (now if zero). */
    private void later(long delayNanos, Runnable action) {
      if (delayNanos <= 0) {
        action.run();
      } else {
        ctx.executor().schedule(() -> {
          if (ctx.channel().isActive()) {
            action.run();
          }
        }, delayNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** True when the request asked for an event stream. */
  static boolean streams(Object parsed) {
    return parsed instanceof ChatRequest && ((ChatRequest) parsed).stream()
        || parsed instanceof ResponsesRequest && ((ResponsesRequest) parsed).stream();
  }

  /** Fault kind token for stats: the status for plain status faults, else the kind's token. */
  static String faultToken(Fault fault) {
    switch (fault.kind()) {
      case NONE:
        return null;
      case STATUS:
        return Integer.toString(fault.status());
      default:
        return fault.kind().token();
    }
  }

  /** Go duration rounded up to whole milliseconds, as OpenAI's headers look ({@code 6m0s}, {@code 20ms}). */
  static String goDurationMillis(long nanos) {
    long millis = (Math.max(0, nanos) + 999_999) / 1_000_000;
    return GoDuration.format(Duration.ofMillis(millis));
  }

  private static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "req_" + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }
}
