package dev.backoff4j.openai.errors;

/** Squeezes text into one bounded line for exception messages. */
final class OneLine {

  static final int MAX_LENGTH = 500;

  private OneLine() {}

  static String of(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
  }
}
