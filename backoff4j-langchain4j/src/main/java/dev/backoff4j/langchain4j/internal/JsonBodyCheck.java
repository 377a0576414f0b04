package dev.backoff4j.langchain4j.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.http.Response;
import dev.backoff4j.openai.spi.Interceptor;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import dev.backoff4j.spi.Futures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Fails an attempt whose 2xx body says it is JSON and is not, inside the retry step, so the retry
 * policy decides (a malformed 200 is final) and LangChain4j gets a non-retriable exception. Without
 * this, LangChain4j's own JSON parsing would fail after the pipeline had succeeded, and the model's
 * retry loop would send the request twice more. Checks the syntax with a streaming parser (no tree is
 * built, so a large embeddings body costs one pass and no copy); streams are left to the stream reader.
 */
final class JsonBodyCheck implements Interceptor {

  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public Response intercept(Chain chain) {
    return check(chain.proceed(chain.request()));
  }

  @Override
  public CompletableFuture<Response> interceptAsync(Chain chain) {
    CompletableFuture<Response> exchange = chain.proceedAsync(chain.request());
    return Futures.propagateCancel(exchange.thenApply(JsonBodyCheck::check), exchange);
  }

  private static Response check(Response response) {
    if (response.request().streaming() || !response.isSuccessful() || !response.body().isBuffered()
        || !declaresJson(response)) {
      return response;
    }
    byte[] body = response.body().bytes();
    if (body.length == 0) {
      return response;
    }
    try (JsonParser parser = JSON.createParser(body)) {
      while (parser.nextToken() != null) {
        // syntax only
      }
      return response;
    } catch (JsonProcessingException e) {
      throw malformed(response, body, e);
    } catch (IOException e) {
      throw malformed(response, body, e); // not expected from a byte array; still the body's fault
    }
  }

  private static boolean declaresJson(Response response) {
    return response.headers().first("content-type")
        .map(type -> type.toLowerCase(Locale.ROOT).contains("json"))
        .orElse(false);
  }

  private static MalformedResponseException malformed(Response response, byte[] body, IOException e) {
    String start = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return new MalformedResponseException("body is not JSON", response.status(),
        response.headers().first(RateLimitHeaders.REQUEST_ID).orElse(null), start, e);
  }

  @Override
  public String toString() {
    return "JsonBodyCheck";
  }
}
