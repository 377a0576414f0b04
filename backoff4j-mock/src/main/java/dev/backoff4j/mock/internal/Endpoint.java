package dev.backoff4j.mock.internal;

import io.netty.handler.codec.http.HttpMethod;

/** The API endpoints the mock serves; every one goes through the same key check, limiter and faults. */
enum Endpoint {
  CHAT(HttpMethod.POST, "/v1/chat/completions"),
  RESPONSES(HttpMethod.POST, "/v1/responses"),
  EMBEDDINGS(HttpMethod.POST, "/v1/embeddings"),
  MODELS(HttpMethod.GET, "/v1/models");

  /** The endpoints as a 404 lists them. */
  static final String SERVED = "POST /v1/chat/completions, POST /v1/responses, POST /v1/embeddings and GET /v1/models";

  private final HttpMethod method;
  private final String path;

  Endpoint(HttpMethod method, String path) {
    this.method = method;
    this.path = path;
  }

  /** The endpoint for a request line, or null when the mock serves none there. */
  static Endpoint of(HttpMethod method, String path) {
    for (Endpoint endpoint : values()) {
      if (endpoint.method.equals(method) && endpoint.path.equals(path)) {
        return endpoint;
      }
    }
    return null;
  }
}
