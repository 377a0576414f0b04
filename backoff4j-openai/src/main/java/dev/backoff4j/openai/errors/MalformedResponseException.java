package dev.backoff4j.openai.errors;

import java.util.Optional;

/**
 * A successful status whose body is not what the endpoint returns: not JSON, JSON of the wrong shape,
 * or a stream event that does not parse. Not retried (the server is answering, just not as an OpenAI
 * API would: a proxy's HTML page, a wrong base URL). The message quotes the start of the body.
 */
public class MalformedResponseException extends OpenAiException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String requestId;

  public MalformedResponseException(String problem, int status, String requestId, String bodyStart, Throwable cause) {
    super(status + " malformed response" + (requestId == null ? "" : " (" + requestId + ")") + ": " + problem
        + (bodyStart == null ? "" : "; body starts: " + snippet(bodyStart)), cause);
    this.status = status;
    this.requestId = requestId;
  }

  public int status() {
    return status;
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  @Override
  public String summary() {
    return status + " malformed response" + (requestId == null ? "" : " (" + requestId + ")");
  }

  private static String snippet(String body) {
    return body.length() <= 120 ? body : body.substring(0, 120) + "…";
  }
}
