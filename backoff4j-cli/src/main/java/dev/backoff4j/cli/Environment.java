package dev.backoff4j.cli;

import java.util.function.Function;

/** Where the command reads {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL}; tests pass their own. */
@FunctionalInterface
interface Environment extends Function<String, String> {

  String API_KEY = "OPENAI_API_KEY";
  String BASE_URL = "OPENAI_BASE_URL";

  static Environment system() {
    return System::getenv;
  }
}
