package dev.backoff4j.openai.sdk.internal;

import com.openai.core.http.HttpClient;

/**
 * Whether the SDK on the class path has WebSockets ({@code com.openai.core.http.WebSocketClient},
 * openai-java-core 4.65.0+), probed by name so that nothing links the interface on an SDK without it.
 */
final class WebSocketSupport {

  static final String WEB_SOCKET_CLIENT = "com.openai.core.http.WebSocketClient";

  private static final boolean PRESENT = SdkClasses.exists(WEB_SOCKET_CLIENT, WebSocketSupport.class.getClassLoader());

  private WebSocketSupport() {}

  /** {@code bridge}, wrapped to offer WebSockets when the SDK has them. */
  static HttpClient offeredBy(BridgeHttpClient bridge) {
    return PRESENT ? WithWebSockets.wrap(bridge) : bridge;
  }

  /**
   * The only class that names {@link WebSocketBridgeHttpClient}: the JVM resolves that name when this
   * class's method first runs, which happens only when the interface exists.
   */
  private static final class WithWebSockets {
    static HttpClient wrap(BridgeHttpClient bridge) {
      return new WebSocketBridgeHttpClient(bridge);
    }
  }
}
