package dev.backoff4j.cli;

import dev.backoff4j.openai.OpenAiPipelineBuilder;
import picocli.CommandLine.Option;

/** {@code --base-url}; the environment's defaults are the library's ({@link ClientFactory}). */
final class ConnectionOptions {

  @Option(names = "--base-url", paramLabel = "URL",
      description = "API root (default: $OPENAI_BASE_URL, else " + OpenAiPipelineBuilder.DEFAULT_BASE_URL + ").")
  String baseUrl;
}
