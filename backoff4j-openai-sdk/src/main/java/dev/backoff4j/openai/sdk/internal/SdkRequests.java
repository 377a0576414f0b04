package dev.backoff4j.openai.sdk.internal;

import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.http.Request;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts requests between the SDK's type and the pipeline's. The pipeline's request holds its body
 * as bytes so every attempt can send it again; only {@linkplain HttpRequestBody#repeatable()
 * repeatable} SDK bodies (JSON, in-memory multipart) are converted.
 */
public final class SdkRequests {

  private static final String CONTENT_TYPE = "content-type";
  // OkHttp computes these from the body; sending them twice would be wrong.
  private static final Set<String> FROM_BODY = Set.of(CONTENT_TYPE, "content-length");

  private SdkRequests() {}

  /** Whether the SDK's response will be a server-sent event stream. */
  public static boolean isStreaming(HttpRequest request) {
    return request.headers().values("Accept").stream()
        .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("text/event-stream"));
  }

  /** The pipeline's view of {@code request}, its body buffered. */
  public static Request fromSdk(HttpRequest request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : request.headers().names()) {
      headers.put(name, request.headers().values(name));
    }
    byte[] body = null;
    HttpRequestBody sdkBody = request.body();
    if (sdkBody != null) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      sdkBody.writeTo(bytes);
      body = bytes.toByteArray();
      if (sdkBody.contentType() != null) {
        headers.put(CONTENT_TYPE, List.of(sdkBody.contentType()));
      }
    }
    return new Request(request.method().name(), URI.create(request.url()), Headers.of(headers), body,
        isStreaming(request));
  }

  /** The SDK's view of {@code request}: the whole URL as the base URL, the body as bytes. */
  public static HttpRequest toSdk(Request request) {
    HttpRequest.Builder builder = HttpRequest.builder()
        .method(HttpMethod.valueOf(request.method()))
        .baseUrl(request.url().toString());
    request.headers().toMap().forEach((name, values) -> {
      if (!FROM_BODY.contains(name)) {
        builder.putHeaders(name, values);
      }
    });
    if (request.body() != null) {
      builder.body(new BytesBody(request.body(), request.headers().first(CONTENT_TYPE).orElse(null)));
    }
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private static <X extends Throwable> X sneaky(Throwable failure) throws X {
    throw (X) failure;
  }

  /** A repeatable body over bytes the caller must not change. */
  private record BytesBody(byte[] bytes, String contentType) implements HttpRequestBody {

    @Override
    public void writeTo(OutputStream out) {
      try {
        out.write(bytes);
      } catch (IOException e) {
        // The interface (Kotlin) declares no checked exception, yet OkHttp must see an IOException
        // to report a network failure as one; the SDK's own bodies throw it the same way.
        throw SdkRequests.<RuntimeException>sneaky(e);
      }
    }

    @Override
    public long contentLength() {
      return bytes.length;
    }

    @Override
    public boolean repeatable() {
      return true;
    }

    @Override
    public void close() {}
  }
}
