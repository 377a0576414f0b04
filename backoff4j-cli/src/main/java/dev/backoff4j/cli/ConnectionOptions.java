package dev.backoff4j.cli;

import dev.backoff4j.openai.OpenAiClientBuilder;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/** {@code --base-url} and the API key from the environment. */
final class ConnectionOptions {

  @Option(names = "--base-url", paramLabel = "URL",
      description = "API root (default: $OPENAI_BASE_URL, else " + OpenAiClientBuilder.DEFAULT_BASE_URL + ").")
  String baseUrl;

  /** The base URL to use: the option, else {@code $OPENAI_BASE_URL}, else OpenAI's. */
  String baseUrl(Environment env) {
    for (String candidate : new String[] {baseUrl, env.apply(Environment.BASE_URL)}) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate.trim();
      }
    }
    return OpenAiClientBuilder.DEFAULT_BASE_URL;
  }

  /**
   * {@code $OPENAI_API_KEY}, or {@code null} when it is unset and the base URL is on this machine
   * (local servers and the mock need no key).
   *
   * @throws ConfigException when the key is missing for a remote base URL
   */
  String apiKey(Environment env, String resolvedBaseUrl) {
    String key = env.apply(Environment.API_KEY);
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    if (isLoopback(resolvedBaseUrl)) {
      return null;
    }
    throw new ConfigException(Environment.API_KEY + " is not set: export your API key as " + Environment.API_KEY
        + " (a key is needed for " + hostOf(resolvedBaseUrl) + "; servers on this machine need none)");
  }

  static boolean isLoopback(String url) {
    String host = hostOf(url);
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

  private static String hostOf(String url) {
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
