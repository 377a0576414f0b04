package dev.backoff4j.bench.scenarios;

/** A way of calling the API that the scenarios compare. */
interface Contender {

  /** The name in the results ({@code recipe}, {@code openai-java}, ...). */
  String name();

  /** How it is configured, one line for the report. */
  String description();

  /** A fresh client against {@code baseUrl} (fresh retry budget, pacer and connection pool). */
  ChatCaller open(String baseUrl);
}
