package dev.backoff4j.openai.sdk.internal;

import dev.backoff4j.openai.http.Headers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts headers between the SDK's type and the pipeline's. Both treat names case-insensitively. */
public final class SdkHeaders {

  private SdkHeaders() {}

  public static Headers fromSdk(com.openai.core.http.Headers sdk) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (String name : sdk.names()) {
      map.put(name, sdk.values(name));
    }
    return Headers.of(map);
  }

  public static com.openai.core.http.Headers toSdk(Headers headers) {
    com.openai.core.http.Headers.Builder builder = com.openai.core.http.Headers.builder();
    headers.toMap().forEach(builder::put);
    return builder.build();
  }
}
