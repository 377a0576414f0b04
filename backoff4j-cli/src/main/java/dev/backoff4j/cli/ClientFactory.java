package dev.backoff4j.cli;

import dev.backoff4j.InvalidSettingException;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiClientBuilder;
import dev.backoff4j.openai.OpenAiPipelineBuilder;
import dev.backoff4j.openai.http.CallListener;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.time.TimeSource;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The one place the command makes its client: the connection and retry options over the library's
 * own defaults and environment rules ({@code $OPENAI_BASE_URL}, {@code $OPENAI_API_KEY}, ...), plus the
 * command's rule that a key is needed for any server not on this machine.
 */
final class ClientFactory {

  private final Environment environment;
  private final TimeSource time;

  ClientFactory(Environment environment, TimeSource time) {
    this.environment = environment;
    this.time = time;
  }

  /**
   * @param listener the command's view of each call (attempt lines, progress)
   * @param pacer a pacer, or {@code null} for none
   * @throws ConfigException naming the bad option or variable, or the missing key
   */
  OpenAiClient create(ConnectionOptions connection, RetryOptions retry, CallListener listener, Pacer pacer) {
    OpenAiClient client;
    try {
      OpenAiClientBuilder builder = OpenAiClient.builder()
          .environment(environment)
          .baseUrl(connection.baseUrl)
          .retryPolicy(retry.policy(time))
          .listener(listener);
      if (pacer != null) {
        builder.pacer(pacer);
      }
      client = builder.build();
    } catch (InvalidSettingException e) {
      throw Flags.translate(e);
    }
    if (client.pipeline().endpoint().apiKey() == null && !isLoopback(client.baseUrl())) {
      String variable = OpenAiPipelineBuilder.ENV_API_KEY;
      throw new ConfigException(variable + " is not set: export your API key as " + variable
          + " (a key is needed for " + URI.create(client.baseUrl()).getHost() + "; servers on this machine need none)");
    }
    return client;
  }

  /** The key the environment gives, for masking output printed before a client exists. */
  List<String> credentials() {
    String key = environment.apply(Environment.API_KEY);
    return key == null || key.isBlank() ? List.of() : List.of(key.trim());
  }

  static boolean isLoopback(String url) {
    String host = URI.create(url).getHost();
    if (host == null) {
      return false;
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // never resolve names here: only literal addresses and localhost count
    }
    try {
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
