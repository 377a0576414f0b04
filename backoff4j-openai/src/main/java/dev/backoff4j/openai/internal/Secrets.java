package dev.backoff4j.openai.internal;

import dev.backoff4j.openai.http.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Keeps credentials out of messages. */
public final class Secrets {

  // OpenAI-style keys (sk-..., sk-proj-...), even when the server echoes only a part of one.
  private static final Pattern OPENAI_KEY = Pattern.compile("sk-[A-Za-z0-9_\\-*]{4,}");

  private Secrets() {}

  /** The credentials a request carried (an Azure {@code api-key}, a bearer token and its bare key). */
  public static List<String> of(Headers requestHeaders) {
    List<String> secrets = new ArrayList<>();
    requestHeaders.first("api-key").ifPresent(secrets::add);
    requestHeaders.first("authorization").ifPresent(value -> {
      secrets.add(value);
      if (value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
        secrets.add(value.substring(7).trim());
      }
    });
    return secrets;
  }

  /** {@code text} with every secret and anything shaped like an OpenAI key replaced by {@code ***}. */
  public static String mask(String text, Iterable<String> secrets) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        masked = masked.replace(secret, "***");
      }
    }
    return OPENAI_KEY.matcher(masked).replaceAll("sk-***");
  }
}
