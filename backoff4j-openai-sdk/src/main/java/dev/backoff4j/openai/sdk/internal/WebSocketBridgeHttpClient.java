package dev.backoff4j.openai.sdk.internal;

import com.openai.core.RequestOptions;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.WebSocketClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link BridgeHttpClient} that the SDK also sees as a {@link WebSocketClient}: HTTP calls go through
 * the bridge (and so through the pipeline); WebSocket connections go to the SDK's own client, without
 * retries — a connection that drops mid-session cannot be replayed.
 *
 * <p>Loaded only by {@link WebSocketSupport}, and only when {@code com.openai.core.http.WebSocketClient}
 * exists (openai-java-core 4.65.0+): on an older SDK, loading this class would throw
 * {@code NoClassDefFoundError}.
 */
final class WebSocketBridgeHttpClient implements HttpClient, WebSocketClient {

  private final BridgeHttpClient bridge;

  WebSocketBridgeHttpClient(BridgeHttpClient bridge) {
    this.bridge = Objects.requireNonNull(bridge, "bridge");
  }

  @Override
  public HttpResponse execute(HttpRequest request, RequestOptions options) {
    return bridge.execute(request, options);
  }

  @Override
  public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
    return bridge.executeAsync(request, options);
  }

  @Override
  public CompletableFuture<Connection> connectWebSocket(HttpRequest request, RequestOptions options,
      int maxMessageBytes, Listener listener) {
    if (bridge.delegate() instanceof WebSocketClient webSockets) {
      return webSockets.connectWebSocket(request, options, maxMessageBytes, listener);
    }
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("the wrapped HTTP client does not support WebSockets"));
  }

  @Override
  public void close() {
    bridge.close();
  }

  @Override
  public String toString() {
    return bridge.toString();
  }
}
