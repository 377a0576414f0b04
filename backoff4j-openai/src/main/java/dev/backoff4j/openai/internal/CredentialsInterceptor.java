package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.http.Interceptor;
import dev.backoff4j.openai.http.Request;
import dev.backoff4j.openai.http.Response;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Adds the credential and identity headers to each attempt: {@code Authorization: Bearer} (or
 * Azure's {@code api-key}), organization, project and {@code User-Agent}.
 */
public final class CredentialsInterceptor implements Interceptor {

  private final Map<String, String> headers;

  /** @param headers name to value; the values are never shown by {@link #toString()} */
  public CredentialsInterceptor(Map<String, String> headers) {
    this.headers = Map.copyOf(headers);
  }

  @Override
  public Response intercept(Chain chain) {
    return chain.proceed(withHeaders(chain.request()));
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    return chain.proceedAsync(withHeaders(chain.request()));
  }

  private Request withHeaders(Request request) {
    Request result = request;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      result = result.withHeader(header.getKey(), header.getValue());
    }
    return result;
  }

  @Override
  public String toString() {
    return "CredentialsInterceptor" + headers.keySet();
  }
}
