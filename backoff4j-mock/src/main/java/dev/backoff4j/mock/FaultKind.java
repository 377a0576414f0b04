package dev.backoff4j.mock;

/**
 * What a {@link Fault} does to one request, whichever endpoint it was sent to. Each kind has the
 * short token used in scripts, rates, scenario files and CLI flags; see {@link Fault#parse(String)}
 * for the full grammar.
 */
public enum FaultKind {
  /** {@code 200} or {@code ok}: answer normally. Scripts use it to let a request through. */
  NONE("200"),
  /** {@code 400}..{@code 599}: that status with an OpenAI error body and no retry hint. */
  STATUS("NNN"),
  /** {@code quota}: 429 with type and code {@code insufficient_quota}; retrying will not help. */
  QUOTA("quota"),
  /** {@code hint-ms[:N]}: 429 with only {@code retry-after-ms: N} (default 200). */
  HINT_MS("hint-ms"),
  /** {@code hint-s[:N]}: 429 with only {@code Retry-After: N} seconds (default 1). */
  HINT_SECONDS("hint-s"),
  /** {@code hint-date[:N]}: 429 with only {@code Retry-After} as an HTTP date N seconds ahead (default 2). */
  HINT_DATE("hint-date"),
  /** {@code hint-absurd}: 429 whose hints ask for a year-long wait. */
  HINT_ABSURD("hint-absurd"),
  /** {@code hint-negative}: 429 whose hints are negative numbers. */
  HINT_NEGATIVE("hint-negative"),
  /** {@code hint-garbage}: 429 whose hints are not numbers or dates at all. */
  HINT_GARBAGE("hint-garbage"),
  /** {@code retry:NNN}: status NNN with {@code x-should-retry: true}. */
  SHOULD_RETRY("retry"),
  /** {@code noretry:NNN}: status NNN with {@code x-should-retry: false}. */
  SHOULD_NOT_RETRY("noretry"),
  /** {@code latency:DUR}: a normal answer after DUR, instead of the scenario's latency. */
  LATENCY("latency"),
  /** {@code stall}: read the request and never answer; the connection stays open. */
  STALL("stall"),
  /** {@code reset}: abort the connection with a TCP RST before any response byte. */
  RESET("reset"),
  /** {@code cut}: send a 200's headers and half its body, then close the connection. */
  CUT("cut"),
  /** {@code malformed}: a 200 with {@code application/json} content that is not valid JSON. */
  MALFORMED("malformed"),
  /**
   * {@code sse-cut:K}: for {@code stream: true}, send K SSE events then close without
   * {@code [DONE]} or {@code response.completed}; non-streaming requests are cut like {@link #CUT}.
   */
  SSE_CUT("sse-cut"),
  /**
   * {@code sse-error:K}: for {@code stream: true}, send K events, then a server error in-band (a
   * Responses {@code error} event; in chat streams an {@code error} object) and end the stream;
   * requests that do not stream get the 500 it describes.
   */
  SSE_ERROR("sse-error"),
  /**
   * {@code sse-failed:K}: for {@code stream: true}, send K events, then a Responses
   * {@code response.failed} event (error code {@code server_error}) and end the stream; chat streams
   * get {@link #SSE_ERROR}'s error object, requests that do not stream a 500.
   */
  SSE_FAILED("sse-failed"),
  /**
   * {@code sse-rate-limit:K}: for {@code stream: true}, send K events, then an in-band error with
   * code {@code rate_limit_exceeded} and end the stream; requests that do not stream get the 429 it
   * describes.
   */
  SSE_RATE_LIMIT("sse-rate-limit"),
  /** {@code html502}: a 502 with an HTML page, as a reverse proxy sends when the upstream is down. */
  HTML_502("html502"),
  /** {@code outage:DUR}: this request and every request for DUR answer 503. */
  OUTAGE("outage");

  private final String token;

  FaultKind(String token) {
    this.token = token;
  }

  /** The token's name part, e.g. {@code hint-ms}; {@code NNN} for {@link #STATUS}. */
  public String token() {
    return token;
  }
}
