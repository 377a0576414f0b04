package dev.backoff4j.redis.internal;

import java.util.regex.Pattern;

/** Keeps Redis passwords out of messages and {@code toString()}. */
public final class RedisUrls {

  /** {@code scheme://user:password@} or {@code scheme://:password@} or {@code scheme://password@}. */
  private static final Pattern USER_INFO = Pattern.compile("(rediss?(?:-sentinel|-socket)?://)[^@/\\s]*@");

  private RedisUrls() {}

  /** The text with every URL's user info replaced by {@code ***}. */
  public static String redact(String text) {
    return USER_INFO.matcher(text).replaceAll("$1***@");
  }
}
